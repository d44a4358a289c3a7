using System.Diagnostics;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>The fork re-sync over BACKREST_REPO_TRANSPORT=tls: the standby's SSH port points nowhere, its certificate signed by the primary.</summary>
[Collection(TlsPrimaryForkDefinition.Name)]
public sealed class TlsPrimaryForkTests(TlsTimelineWorld world, ITestOutputHelper output) : PrimaryForkScenario(world, output)
{
    [WorldFact]
    public async Task OverTls_StandbyPastTheFork_PrimaryRestoredToEarlierPointAndPromoted_ResyncsByItselfAndStreamsTheNewTimeline()
    {
        var primary = World.Primary;
        var clock = Stopwatch.StartNew();
        await using var standby = primary.NewStandby("fork-tls");
        var (kept, old) = await ForkAsync(standby, "before-tls", takeBackupPastTheFork: false, clock);

        await primary.BackupAsync();
        await standby.WaitForLogAsync("Re-syncing the standby", Patience);
        await standby.WaitForProbeAsync(kept, Patience);
        await AssertStreamsNewTimelineAsync(standby, old, clock);
        Assert.Equal(1, standby.CountLog("Starting a delta restore"));
        Assert.Equal("tls", standby.ReadStatus()!.Value.GetProperty("transport").GetString());
    }

    protected override Task AuthorizeAsync(StandbyProcess standby) => standby.PreAuthorizeTlsAsync();
}
