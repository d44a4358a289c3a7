using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Processes;

/// <summary>
/// Creates the worker's folders and files and, when the worker runs as root (a container with fresh root-owned
/// volumes), hands them to postgres. Run as postgres (systemd User=postgres) it only creates and sets modes.
/// postgres owns these folders and may plant links in them: modes and owners are set on open descriptors,
/// a link where a folder is expected is refused, and files are written through <see cref="SafeFile"/>.
/// </summary>
public sealed class FolderPreparer(ILogger<FolderPreparer> logger)
{
    private readonly OsAccount? _owner = OsAccount.WorkerIsRoot ? OsAccount.Find(OsAccount.PostgresName) : null;

    public bool WorkerIsRoot => _owner is not null;

    /// <summary>Ensures <paramref name="path"/> exists with <paramref name="mode"/>, owned by postgres when root.</summary>
    /// <exception cref="StandbyException"><paramref name="path"/> is a symbolic link.</exception>
    public void EnsureFolder(string path, UnixFileMode mode, bool recursive = false)
    {
        using var folder = SafeFile.OpenFolder(path);
        File.SetUnixFileMode(folder, mode);
        if (_owner is not null)
        {
            GiveToOwner(folder, path);
            if (recursive)
            {
                GiveContentToOwner(folder, path);
            }
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="mode"/> from creation, owned by postgres when root.</summary>
    public void WriteOwnedFile(string path, string content, UnixFileMode mode)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            Log.LinkReplaced(logger, path, target);
        }

        SafeFile.Write(path, content, mode, _owner is null ? null : GiveToOwner);
    }

    private void GiveToOwner(SafeFileHandle handle, string path)
    {
        if (Native.FChown(handle, _owner!.UserId, _owner.GroupId) != 0)
        {
            Log.OwnershipNotChanged(logger, path, _owner.Name, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Every entry below <paramref name="folder"/>, relative to open descriptors: a link is given itself, never its target.</summary>
    private void GiveContentToOwner(SafeFileHandle folder, string path)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            var name = Path.GetFileName(entry);
            using var subfolder = SafeFile.OpenSubfolder(folder, name);
            if (subfolder is not null)
            {
                GiveToOwner(subfolder, entry);
                GiveContentToOwner(subfolder, entry);
            }
            else if (Native.FChownAt(folder, name, _owner!.UserId, _owner.GroupId, Native.AtSymlinkNoFollow) != 0)
            {
                Log.OwnershipNotChanged(logger, entry, _owner.Name, Marshal.GetLastPInvokeError());
            }
        }
    }
}
