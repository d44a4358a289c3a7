using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class ArchiveTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task StreamingRefused_WalReachesStandbyThroughPgBackRestArchive()
    {
        await using var standby = world.NewStandby("archive-only");
        standby.Environment["PG_REPLICATION_PASSWORD"] = "not the password";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", TimeSpan.FromMinutes(3));

        var note = "archived-" + Guid.NewGuid().ToString("N");
        await world.SqlAsync($"INSERT INTO probe (note) VALUES ('{note}')");
        await world.SqlAsync("SELECT pg_switch_wal()");

        await Eventually.ThatAsync(
            async () => await standby.ScalarAsync($"SELECT count(*) FROM probe WHERE note = '{note}'") == "1",
            TimeSpan.FromSeconds(90),
            () => "the archived WAL never reached the standby:\n" + standby.Output);
        Assert.Equal("catching_up_from_archive", standby.State);
        Assert.StartsWith(
            "streaming unavailable: the primary refuses the replication login of replicator: password authentication failed",
            standby.ReadStatus()!.Value.GetProperty("reason").GetString(),
            StringComparison.Ordinal);
        // The primary's position is unknown (login refused): so is the lag, however old the last replayed commit.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, standby.ReadStatus()!.Value.GetProperty("lag_seconds").ValueKind);
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
    }
}
