namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A test that builds deploy/docker/Dockerfile with podman and runs it against the test world. Skipped on
/// a laptop without root, the world's servers or podman; with CI=true it always runs. Its timeout covers
/// a first build on a new machine (the base images made by tests/world/image-bases.sh, then the image).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute()
    {
        if (!Prerequisites.IsCi && Prerequisites.MissingForImages() is { } missing)
        {
            Skip = "needs podman and the test world: " + missing + " (set CI=true to make this a failure)";
        }

        Timeout = 2_700_000;
    }
}
