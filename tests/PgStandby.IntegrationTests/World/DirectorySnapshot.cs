namespace PgStandby.IntegrationTests.World;

/// <summary>Every file and folder under a root with its size: equal snapshots mean nothing was removed, added or rewritten to another size.</summary>
internal static class DirectorySnapshot
{
    public static List<string> Take(string root) =>
    [
        .. new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(root, e.FullName) + (e is FileInfo file ? " " + file.Length : "/"))
            .Order(StringComparer.Ordinal),
    ];
}
