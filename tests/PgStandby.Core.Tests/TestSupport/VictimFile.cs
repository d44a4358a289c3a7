namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// A file outside the worker's folders that a hostile folder owner points symbolic links at, as postgres
/// could in a folder it owns; the test proves the worker left its bytes and mode alone.
/// </summary>
internal sealed class VictimFile
{
    private const string Content = "root:secret-hash:19000:0:99999:7:::\n";
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public VictimFile(TempDirectory temp)
    {
        Path = temp.WriteFile("elsewhere/victim", Content);
        File.SetUnixFileMode(Path, Mode);
    }

    public string Path { get; }

    /// <summary>Plants a symbolic link at <paramref name="linkPath"/> pointing at the victim, creating its folder.</summary>
    public string PlantLinkAt(string linkPath)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(linkPath)!);
        File.CreateSymbolicLink(linkPath, Path);
        return linkPath;
    }

    public void AssertUntouched()
    {
        Assert.Equal(Content, File.ReadAllText(Path));
        Assert.Equal(Mode, File.GetUnixFileMode(Path));
    }

    /// <summary>Asserts <paramref name="path"/> is a regular file (not a link) with exactly <paramref name="mode"/>.</summary>
    public static void AssertRegularFile(string path, UnixFileMode mode)
    {
        var info = new FileInfo(path);
        Assert.True(info.Exists, $"{path} is missing");
        Assert.Null(info.LinkTarget);
        Assert.Equal(mode, info.UnixFileMode);
    }
}
