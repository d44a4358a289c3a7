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
        // The primary's position is unknown (login refused): the lag is measured against the archive's newest WAL
        // instead, and is 0 once that is replayed, however old the last replayed commit.
        await Eventually.ThatAsync(
            () => Task.FromResult(standby.ReadStatus() is { } status
                && status.GetProperty("lag_against").GetString() == "archive"
                && status.GetProperty("lag_bytes").ValueKind == System.Text.Json.JsonValueKind.Number && status.GetProperty("lag_bytes").GetInt64() == 0
                && status.GetProperty("lag_seconds").ValueKind == System.Text.Json.JsonValueKind.Number && status.GetProperty("lag_seconds").GetDouble() == 0),
            TimeSpan.FromSeconds(90),
            () => $"no lag of 0 against the archive: {standby.ReadStatus()}\n{standby.Output}");
        Assert.Equal("catching_up_from_archive", standby.State);
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
    }
}
