namespace PgStandby.IntegrationTests.World;

internal static class RepositoryPaths
{
    /// <summary>The checkout's root: the folder holding PgStandby.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgStandby.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PgStandby.sln not found above " + AppContext.BaseDirectory);
    }
}
