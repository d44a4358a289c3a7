using System.Security.Cryptography;

namespace PgStandby.IntegrationTests.Security;

/// <summary>Every file under the given roots with its mode and SHA-256, every folder with its mode: equal lists mean byte-identical trees.</summary>
internal static class FileChecksums
{
    public static List<string> Take(params string[] roots) =>
    [
        .. roots.SelectMany(Describe).Order(StringComparer.Ordinal),
    ];

    private static IEnumerable<string> Describe(string root)
    {
        if (File.Exists(root))
        {
            return [Line(root, new FileInfo(root))];
        }

        return Directory.Exists(root)
            ? new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Select(e => Line(e.FullName, e)).Append(Line(root, new DirectoryInfo(root)))
            : [root + " (missing)"];
    }

    private static string Line(string path, FileSystemInfo entry) => entry switch
    {
        FileInfo file when file.LinkTarget is null => $"{path} {file.UnixFileMode} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}",
        _ when entry.LinkTarget is { } target => $"{path} -> {target}",
        _ => $"{path}/ {entry.UnixFileMode}",
    };
}
