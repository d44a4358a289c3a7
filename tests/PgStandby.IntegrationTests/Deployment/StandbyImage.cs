using System.Text;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

using static PgStandby.IntegrationTests.Deployment.ContainerCli;

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
    private static bool _inDocker;

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

    /// <summary>
    /// The same image, handed from podman to the Docker Engine (<c>podman save | docker load</c>) when Docker
    /// lacks it or holds an older build: the Swarm and compose tests run exactly what the podman test runs.
    /// </summary>
    public static async Task<string> ForDockerAsync()
    {
        var tag = await BuildAsync();
        await Once.WaitAsync();
        try
        {
            var built = await Podman.ImageIdAsync(tag);
            if (!_inDocker && Id(await Docker.ImageIdAsync(tag)) != Id(built))
            {
                using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
                var load = await (Cli.Wrap("podman").WithArguments(["save", "--format", "docker-archive", tag])
                        | Cli.Wrap("/usr/bin/docker").WithArguments(["load"]))
                    .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
                Assert.True(load.ExitCode == 0 && Id(await Docker.ImageIdAsync(tag)) == Id(built), $"podman save | docker load exited {load.ExitCode}: {load.StandardError}");
            }

            _inDocker = true;
            return tag;
        }
        finally
        {
            Once.Release();
        }
    }

    private static string? Id(string? imageId) => imageId?.Replace("sha256:", string.Empty, StringComparison.Ordinal);
}
