using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Win32.SafeHandles;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Processes;

/// <summary>
/// File access for a worker that may run as root in folders another user (postgres) owns and can plant
/// links in: nothing here follows a symbolic link at the name it is given, and modes and owners are set on
/// the open descriptor, never by a path that can be swapped in between.
/// </summary>
internal static class SafeFile
{
    private const int ReadOnly = 0;

    /// <summary>
    /// Replaces <paramref name="path"/> atomically: a new file at a random name in the same folder, created
    /// with O_EXCL (an existing name, a planted link included, is refused) and <paramref name="mode"/> from its
    /// first byte, synced, then renamed over <paramref name="path"/> (rename replaces a link there, never follows it).
    /// </summary>
    /// <param name="created">Called on the new, still empty file before any byte is written (ownership, tests).</param>
    public static void Write(string path, string content, UnixFileMode mode, Action<SafeFileHandle, string>? created = null)
    {
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode };
        var stream = new FileStream(temporary, options);
        try
        {
            using (stream)
            {
                created?.Invoke(stream.SafeFileHandle, temporary);
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);

                // The umask may have taken bits from the mode at creation: set it exactly, on the descriptor.
                File.SetUnixFileMode(stream.SafeFileHandle, mode);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // Only the file this call created (unlink removes a name, never follows it).
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// The JSON document in <paramref name="path"/> (a file the worker wrote), or null when there is none or it does not
    /// parse (a write cut short): what it remembered is then forgotten, never an error. Read like <see cref="ReadText"/>.
    /// </summary>
    public static T? ReadJson<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return ReadText(path) is { } json ? JsonSerializer.Deserialize(json, type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text of <paramref name="path"/>, or null when there is no such file; a link or anything but a plain file is refused.</summary>
    /// <exception cref="StandbyException">The name is a symbolic link, a hard link or not a regular file.</exception>
    public static string? ReadText(string path)
    {
        var fd = Native.Open(path, ReadOnly | Native.NoFollow | Native.CloseOnExec | Native.NonBlocking);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Native.NoEntry ? null : throw Refusal(path, errno, "read");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var facts = Stat(handle, path);
        if (!facts.IsRegular)
        {
            throw NotPlainFile(path, "read", "it is not a regular file");
        }

        // A hard link to a file the folder's owner cannot read would be read by root and copied where it can.
        if (facts.Links > 1)
        {
            throw NotPlainFile(path, "read", $"it has {facts.Links} hard links");
        }

        using var stream = new FileStream(handle, FileAccess.Read);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Sets <paramref name="path"/>'s mode on a descriptor opened without following a link.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        var fd = Native.Open(path, ReadOnly | Native.NoFollow | Native.CloseOnExec | Native.NonBlocking);
        if (fd < 0)
        {
            throw Refusal(path, Marshal.GetLastPInvokeError(), "set the mode of");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!Stat(handle, path).IsRegular)
        {
            throw NotPlainFile(path, "set the mode of", "it is not a regular file");
        }

        File.SetUnixFileMode(handle, mode);
    }

    /// <summary>Creates <paramref name="path"/> if missing and opens it as a folder; a link at that name is refused, not followed.</summary>
    public static SafeFileHandle OpenFolder(string path)
    {
        if (new DirectoryInfo(path).LinkTarget is { } target)
        {
            throw LinkedFolder(path, target);
        }

        Directory.CreateDirectory(path);
        var fd = Native.Open(path, ReadOnly | Native.DirectoryOnly | Native.NoFollow | Native.CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == Native.SymlinkLoop
                ? LinkedFolder(path, new DirectoryInfo(path).LinkTarget ?? "?")
                : new IOException($"cannot open the folder {path} (errno {errno})");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Opens <paramref name="name"/> inside <paramref name="folder"/> as a folder, or null when it is anything else (a file, a link).</summary>
    public static SafeFileHandle? OpenSubfolder(SafeFileHandle folder, string name)
    {
        var fd = Native.OpenAt(folder, name, ReadOnly | Native.DirectoryOnly | Native.NoFollow | Native.CloseOnExec);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    private static StandbyException LinkedFolder(string path, string target) => StandbyException.Refused(
        $"{path} is a symbolic link (to {target}): pgstandby will not follow it to create, chmod or chown a folder, since whoever owns its parent could point it at any folder",
        $"set the variable naming {path} to the real folder ({target}) or replace the link with a folder");

    private static Exception Refusal(string path, int errno, string what) => errno == Native.SymlinkLoop
        ? NotPlainFile(path, what, "it is a symbolic link")
        : new IOException($"cannot open {path} to {what} it (errno {errno})");

    private static StandbyException NotPlainFile(string path, string what, string why) => StandbyException.Refused(
        $"pgstandby will not {what} {path}: {why}, and the user owning its folder could point it at any file the worker (perhaps root) can reach",
        $"replace {path} with a regular file (or remove it), then start pgstandby again");

    private static unsafe FileFacts Stat(SafeFileHandle handle, string path)
    {
        const uint TypeModeLinks = 0x1 | 0x2 | 0x4; // STATX_TYPE | STATX_MODE | STATX_NLINK
        var buffer = stackalloc byte[256]; // sizeof(struct statx)
        if (Native.Statx(handle, string.Empty, Native.AtEmptyPath, TypeModeLinks, buffer) != 0)
        {
            throw new IOException($"cannot read the type of {path} (errno {Marshal.GetLastPInvokeError()})");
        }

        var links = *(uint*)(buffer + 16); // stx_nlink
        var mode = *(ushort*)(buffer + 28); // stx_mode
        return new FileFacts((mode & 0xF000) == 0x8000, links);
    }

    private readonly record struct FileFacts(bool IsRegular, uint Links);
}
