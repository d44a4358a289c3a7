using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.Timelines;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Promotion;

/// <summary>
/// The day the primary dies: <c>pgstandby promote</c> against the real primary of a world of its own, comparing rows.
/// Each test leaves the primary running.
/// </summary>
[Collection(PromotionDefinition.Name)]
public sealed class PromoteTests(TimelineWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task PrimaryDown_Promote_EveryArchivedRowThenWrites_RestartWithoutOldHost_OldPrimaryReported_ReinitMakesItAStandbyAgain()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("promoted");
        await standby.PreAuthorizeAsync();

        // Replaying from the archive only (its replication login refused): the rows below reach it through the archive alone.
        standby.Environment["PG_REPLICATION_PASSWORD"] = "not-the-password";
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", Long);
        try
        {
            await primary.WriteProbeRowsAsync("archived-before-the-end", 500);
            await world.WaitArchivedAsync(await world.SwitchWalAsync(), TimeSpan.FromMinutes(1));
            var archived = await primary.ProbeFingerprintAsync();
            await primary.StopPrimaryAsync();
            output.WriteLine($"primary stopped with {archived} archived; the standby has {await standby.ProbeFingerprintAsync()}");

            var promote = await standby.RunVerbAsync("promote");
            output.WriteLine(promote.StandardOutput + promote.StandardError);
            Assert.True(promote.ExitCode == 0, promote.StandardOutput + promote.StandardError + standby.Output);
            Assert.Contains("does not answer", promote.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("replayed up to", promote.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("The archive's newest WAL: 0000000", promote.StandardOutput, StringComparison.Ordinal);

            // Every row that reached the archive is there, and the node takes writes.
            await standby.WaitForStateAsync("primary", TimeSpan.FromSeconds(30));
            Assert.Equal(archived, await standby.ProbeFingerprintAsync());
            await standby.ScalarAsync(ProbeTable.InsertSql("written-on-the-promoted-node", 10));
            var promotedRows = await standby.ProbeFingerprintAsync();
            Assert.NotEqual(archived, promotedRows);
            var status = standby.ReadStatus()!.Value;
            var promotion = status.GetProperty("promotion");
            Assert.Equal("pgstandby promote", promotion.GetProperty("promoted_by").GetString());
            Assert.Equal(2, promotion.GetProperty("timeline").GetInt32());
            Assert.Equal(1, promotion.GetProperty("previous_timeline").GetInt32());
            Assert.Contains("no WAL archive or backups yet", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
            Assert.Equal(0, (await standby.RunVerbAsync("health", "--ready")).ExitCode);
            Assert.Equal(0, standby.CountLog("recovery is not in progress"));
            Assert.Equal(0, standby.CountLog("promoted outside pgstandby promote"));

            // Restarted with the old primary's hosts unreachable: a primary again, no restore, no refusal.
            Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
            var closed = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = closed;
            standby.Environment["PG_PRIMARY_PORT"] = closed;
            standby.Start(); // a new log
            await standby.WaitForStateAsync("primary", Long);
            var afterRestart = standby.Output;
            var pgBackRestLogs = PgBackRestLogSizes(standby);
            Assert.Contains("classified as StartAsPrimary", afterRestart, StringComparison.Ordinal);
            Assert.DoesNotContain("restore of backup", afterRestart, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(standby.DataDirectory, "standby.signal")));
            Assert.Equal(string.Empty, await standby.ScalarAsync("SHOW restore_command"));
            Assert.Equal(string.Empty, await standby.ScalarAsync("SHOW primary_conninfo"));
            Assert.Equal(promotedRows, await standby.ProbeFingerprintAsync());
            await standby.ScalarAsync(ProbeTable.InsertSql("after-the-restart", 5));
            Assert.Equal("False", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
            var human = await standby.RunVerbAsync("status");
            Assert.Contains("role:         primary: promoted ", human.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("backups:      none yet", human.StandardOutput, StringComparison.Ordinal);

            // The old primary comes back: reported as a primary clients may still write to.
            Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
            standby.Environment["PG_PRIMARY_PORT"] = primary.PgPort.ToString(CultureInfo.InvariantCulture);
            standby.Environment["PG_REPLICATION_PASSWORD"] = primary.ReplicationPassword;
            await primary.EnsurePrimaryRunningAsync();
            standby.Start();
            await Eventually.ThatAsync(
                () => Task.FromResult(standby.ReadStatus() is { } s && s.TryGetProperty("old_primary_writable", out var w) && w.ValueKind == JsonValueKind.True),
                Long,
                () => "the old primary was never reported; worker output:\n" + standby.Output);
            Assert.Contains("ANSWERS AS A PRIMARY AGAIN", standby.ReadStatus()!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("primary", standby.State);
            Assert.True(standby.CountLog("answers as a primary again") >= 1);

            // Fenced: while it ran as a primary (restart, old primary back) nothing of pgBackRest ran against the old repository.
            Assert.Equal(pgBackRestLogs, PgBackRestLogSizes(standby));

            // Back to a standby: reinit says what it discards, reinit --yes re-syncs from the repository.
            Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
            standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = primary.SshPort.ToString(CultureInfo.InvariantCulture);
            var describe = await standby.RunVerbAsync("reinit");
            Assert.Equal(1, describe.ExitCode);
            Assert.Contains("write made on it since", describe.StandardOutput, StringComparison.Ordinal);
            var reinit = await standby.RunVerbAsync("reinit", "--yes");
            Assert.True(reinit.ExitCode == 0, reinit.StandardOutput + reinit.StandardError);
            Assert.False(File.Exists(Path.Combine(standby.Directory, "state", "promotion.json")));
            standby.Start();
            await standby.WaitForStateAsync("streaming", Long);
            var onPrimary = await primary.WriteProbeRowsAsync("after-reinit", 20);
            await standby.WaitForProbeAsync(onPrimary, TimeSpan.FromMinutes(1));
            Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
        }
        finally
        {
            await primary.EnsurePrimaryRunningAsync();
        }
    }

    /// <summary>Each file of the standby's pgBackRest log folder and its size: archive-get and restore write there every time they run.</summary>
    private static string PgBackRestLogSizes(StandbyProcess standby) =>
        string.Join(", ", Directory.EnumerateFiles(standby.Environment["BACKREST_LOG_PATH"]!).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)}={new FileInfo(f).Length}"));

    [WorldFact]
    public async Task PrimaryUp_PromoteRefusedAndNothingChanges_ForcePromotes()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("forced");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        var refused = await standby.RunVerbAsync("promote");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("REFUSED", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("two primaries", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
        Assert.False(File.Exists(Path.Combine(standby.Directory, "state", "promotion.json")));
        Assert.False(File.Exists(Path.Combine(standby.Directory, "state", "promote-request")));
        var rows = await primary.WriteProbeRowsAsync("still-a-standby", 10);
        await standby.WaitForProbeAsync(rows, TimeSpan.FromMinutes(1));
        Assert.Equal("streaming", standby.State);

        var forced = await standby.RunVerbAsync("promote", "--force", "--max-wait", "15");
        Assert.True(forced.ExitCode == 0, forced.StandardOutput + forced.StandardError);
        await standby.WaitForStateAsync("primary", TimeSpan.FromSeconds(30));
        Assert.Equal("False", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
        Assert.Equal(rows, await standby.ProbeFingerprintAsync());
        Assert.Equal("pgstandby promote", standby.ReadStatus()!.Value.GetProperty("promotion").GetProperty("promoted_by").GetString());

        // Both answer as primaries now: the promoted node says so.
        await Eventually.ThatAsync(
            () => Task.FromResult(standby.ReadStatus()!.Value.GetProperty("old_primary_writable").ValueKind == JsonValueKind.True),
            TimeSpan.FromMinutes(1),
            () => standby.Output);
    }

    [WorldFact]
    public async Task PromotedByHand_RecordedAsPrimaryWithAWarning_RestartIsNotRefused()
    {
        var primary = world.Primary;
        await using var standby = primary.NewStandby("by-hand");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var rows = await primary.WriteProbeRowsAsync("before-by-hand", 10);
        await standby.WaitForProbeAsync(rows, TimeSpan.FromMinutes(1));

        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_promote(true, 60)"));

        await standby.WaitForStateAsync("primary", TimeSpan.FromSeconds(30));
        Assert.Equal("by hand", standby.ReadStatus()!.Value.GetProperty("promotion").GetProperty("promoted_by").GetString());
        Assert.Equal(1, standby.CountLog("promoted outside pgstandby promote"));
        Assert.Equal(0, standby.CountLog("recovery is not in progress"));

        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        standby.Start();
        await standby.WaitForStateAsync("primary", Long);
        Assert.False(standby.HasExited);
        Assert.Equal("False", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
        Assert.Equal(rows, await standby.ProbeFingerprintAsync());
    }
}
