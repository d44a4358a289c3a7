namespace PgStandby.IntegrationTests.World;

/// <summary>
/// A test that needs the real world (root, PostgreSQL 15, pgBackRest, sshd). On a laptop without them it
/// is skipped with the reason; with CI=true it always runs, so a missing server is a failure there.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WorldFactAttribute : FactAttribute
{
    public WorldFactAttribute()
    {
        if (!Prerequisites.IsCi && Prerequisites.Missing() is { } missing)
        {
            Skip = "needs the test world: " + missing + " (set CI=true to make this a failure)";
        }

        Timeout = 300_000;
    }
}
