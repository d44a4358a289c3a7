namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A test that runs the image under Debian's Docker Engine (Swarm mode, docker-compose), started by
/// tests/world/docker-up.sh. Skipped on a laptop without root, the world's servers, podman or docker.io;
/// with CI=true it always runs. Its timeout covers a first image build on a new machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SwarmFactAttribute : FactAttribute
{
    public SwarmFactAttribute()
    {
        if (!Prerequisites.IsCi && Prerequisites.MissingForSwarm() is { } missing)
        {
            Skip = "needs Docker Engine, docker-compose, podman and the test world: " + missing + " (set CI=true to make this a failure)";
        }

        Timeout = 2_700_000;
    }
}
