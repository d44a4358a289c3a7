using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

[Collection(WorldDefinition.Name)]
public sealed class RestoreProgressTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task FreshRestore_PerFileLines_BecomeProgressLinesAndRestorePercent()
    {
        await using var standby = world.NewStandby("progress");
        await standby.PreAuthorizeAsync();
        standby.Start();

        await standby.WaitForLogAsync("Restore 100.0 % done: ", TimeSpan.FromMinutes(3));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        var progress = standby.Output.Split('\n').Single(l => l.Contains("Restore 100.0 % done: ", StringComparison.Ordinal));
        Assert.Matches(@"Restore 100\.0 % done: [0-9.]+ MiB of [0-9.]+ MiB at [0-9.]+ [KMG]?i?B/s, [0-9]+ files in [0-9]+s, about 0s left", progress);
        Assert.DoesNotContain("DETAIL: restore file", standby.Output, StringComparison.Ordinal);
    }
}
