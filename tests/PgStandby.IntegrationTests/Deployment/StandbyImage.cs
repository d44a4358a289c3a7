using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The container image under test: deploy/docker/Dockerfile built from this checkout with podman, once per
/// test run. The tag is kept between runs so that the next build reuses podman's layer cache (a first build
/// takes minutes, a cached one seconds); the image a new build replaces is removed. The base images come
/// from tests/world/image-bases.sh, which makes them when missing.
/// </summary>
internal static class StandbyImage
{
    public const string Tag = "localhost/pgstandby:it";

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _built;

    public static async Task<string> BuildAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_built)
            {
                return Tag;
            }

            await Shell.RunAsync(Path.Combine(RepositoryPaths.Root, "tests", "world", "image-bases.sh"), [], TimeSpan.FromMinutes(20));
            var previous = await Podman.ImageIdAsync(Tag);
            var docker = Path.Combine(RepositoryPaths.Root, "deploy", "docker");

            // The docker format: the OCI format has no HEALTHCHECK. The host's network: apt and NuGet are reached as this machine reaches them.
            await Podman.CheckedAsync(
                ["build", "--format", "docker", "--network=host", "-f", Path.Combine(docker, "Dockerfile"),
                    "--ignorefile", Path.Combine(docker, "Dockerfile.dockerignore"), "-t", Tag, RepositoryPaths.Root],
                TimeSpan.FromMinutes(20));

            if (previous is not null && previous != await Podman.ImageIdAsync(Tag))
            {
                await Podman.RunAsync(["rmi", previous], TimeSpan.FromMinutes(1)); // still used by a container: it stays
            }

            _built = true;
            return Tag;
        }
        finally
        {
            Once.Release();
        }
    }
}
