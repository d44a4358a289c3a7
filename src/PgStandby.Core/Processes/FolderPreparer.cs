using PgStandby.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Processes;

/// <summary>
/// Creates the worker's folders and, when the worker runs as root (a container with fresh root-owned
/// volumes), hands them to postgres. Run as postgres (systemd User=postgres) it only creates and sets modes.
/// </summary>
public sealed class FolderPreparer(ILogger<FolderPreparer> logger)
{
    private readonly OsAccount? _owner = OsAccount.WorkerIsRoot ? OsAccount.Find(OsAccount.PostgresName) : null;

    public bool WorkerIsRoot => _owner is not null;

    /// <summary>Ensures <paramref name="path"/> exists with <paramref name="mode"/>, owned by postgres when root.</summary>
    public void EnsureFolder(string path, UnixFileMode mode, bool recursive = false)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        if (_owner is not null)
        {
            GiveToOwner(path);
            if (recursive)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
                {
                    GiveToOwner(entry);
                }
            }
        }
    }

    /// <summary>Writes a file atomically with <paramref name="mode"/>, owned by postgres when root.</summary>
    public void WriteOwnedFile(string path, string content, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.SetUnixFileMode(temporary, mode);
        if (_owner is not null)
        {
            GiveToOwner(temporary);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private void GiveToOwner(string path)
    {
        if (Native.LChown(path, _owner!.UserId, _owner.GroupId) != 0)
        {
            Log.OwnershipNotChanged(logger, path, _owner.Name, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }
}
