namespace PgStandby.IntegrationTests.World;

/// <summary>
/// The pgstandby under test is the published executable, run as a separate process: PGSTANDBY_BIN when
/// set (CI publishes once), otherwise published here with the README's command.
/// </summary>
internal static class PublishedBinary
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _path;

    public static async Task<string> GetAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_path is not null)
            {
                return _path;
            }

            var given = Environment.GetEnvironmentVariable("PGSTANDBY_BIN");
            if (!string.IsNullOrEmpty(given))
            {
                _path = given;
                return _path;
            }

            var output = Path.Combine(Path.GetTempPath(), "pgstandby-it-bin");
            await Shell.RunAsync("dotnet", ["publish", Path.Combine(RepositoryPaths.Root, "src", "PgStandby.Worker"), "-c", "Release", "-o", output], TimeSpan.FromMinutes(10));
            _path = Path.Combine(output, "pgstandby");
            return _path;
        }
        finally
        {
            Once.Release();
        }
    }
}
