namespace PgStandby.Core.Tests.TestSupport;

/// <summary>A folder of its own for one test, removed with everything in it when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("pgstandby-tests-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string CreateFolder(params string[] parts) => Directory.CreateDirectory(Combine(parts)).FullName;

    /// <summary>Writes <paramref name="content"/> at <paramref name="relativePath"/>, creating its folders.</summary>
    public string WriteFile(string relativePath, string content = "")
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test that used it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: the OS cleans its temp folder eventually.
        }
    }
}
