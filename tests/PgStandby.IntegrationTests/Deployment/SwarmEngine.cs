using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The Docker Engine in Swarm mode the Swarm and compose tests use: tests/world/docker-up.sh, once per test
/// run (it starts dockerd and inits the swarm only when missing). tests/run.sh runs docker-down.sh at its end.
/// </summary>
internal static class SwarmEngine
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _up;

    /// <summary>The engine answers, in Swarm mode, with the image under test loaded; returns the image's tag.</summary>
    public static async Task<string> EnsureAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!_up)
            {
                await Shell.RunAsync(Path.Combine(RepositoryPaths.Root, "tests", "world", "docker-up.sh"), [], TimeSpan.FromMinutes(20));
                _up = true;
            }
        }
        finally
        {
            Once.Release();
        }

        return await StandbyImage.ForDockerAsync();
    }
}
