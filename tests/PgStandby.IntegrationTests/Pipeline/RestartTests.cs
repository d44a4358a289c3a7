using System.Globalization;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class RestartTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task CompleteStandby_StoppedThenStartedWithPrimarySshDown_StartsWithoutRestore()
    {
        await using var standby = world.NewStandby("restart");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        Assert.False(File.Exists(Path.Combine(standby.DataDirectory, "postmaster.pid")), "postgres did not finish its shutdown");
        var control = await Shell.RunAsync("/usr/lib/postgresql/15/bin/pg_controldata", ["-D", standby.DataDirectory]);
        Assert.Contains("shut down in recovery", control, StringComparison.Ordinal);

        // The SSH side of the primary is gone: an existing standby must still start and stream.
        // A changed setting (here the application name) takes effect on this start, without a restore.
        standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        standby.Environment["PG_SLAVE_NAME"] = "restart-renamed";
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Equal("restart-renamed", await world.SqlAsync("SELECT application_name FROM pg_stat_replication WHERE application_name = 'restart-renamed'"));

        Assert.Contains("classified as StartExisting", standby.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore of backup", standby.Output, StringComparison.Ordinal);
        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
    }

    [WorldFact]
    public async Task CompleteStandby_Restarted_FillsTheArchiveGetQueueFromTheSegmentBeforeRedo_BeforePostgresAsks()
    {
        await using var standby = world.NewStandby("restart-queue");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));

        var control = await Shell.RunAsync("/usr/lib/postgresql/15/bin/pg_controldata", ["-D", standby.DataDirectory]);
        var redo = control.Split('\n').Single(l => l.StartsWith("Latest checkpoint's REDO WAL file:", StringComparison.Ordinal))[^24..];
        var before = redo[..16] + (Convert.ToUInt32(redo[16..], 16) - 1).ToString("X8", CultureInfo.InvariantCulture);
        var asyncLog = LogMark.At(Path.Combine(standby.Directory, "pgbackrest", "log", "psql-archive-get-async.log"));

        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        // pgBackRest's queue-filling process started from the segment before REDO: the worker's, not postgres's
        // own (which starts from the segment it asks for). (Whether postgres then restores REDO from the archive
        // depends on whether the primary has archived that segment yet.)
        var lines = await asyncLog.ReadSinceAsync();
        Assert.Contains($"WAL file(s) from archive: {before}...", lines, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(standby.Directory, "pgbackrest", "spool"), "prefetch-*"));
    }

    [WorldFact]
    public async Task WorkerKilledWhilePostgresRuns_NextWorker_AdoptsThatPostgresAndStopsItCleanly()
    {
        await using var standby = world.NewStandby("adopt");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(standby.DataDirectory, "postmaster.pid")))[0];

        await standby.KillAsync(); // the worker only: its postgres goes on serving
        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));

        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Contains($"postgres (pid {postmaster}) of this standby was already running: adopting it", standby.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting postgres on", standby.Output, StringComparison.Ordinal);
        Assert.Equal(postmaster, (await File.ReadAllLinesAsync(Path.Combine(standby.DataDirectory, "postmaster.pid")))[0]);

        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        Assert.False(File.Exists(Path.Combine(standby.DataDirectory, "postmaster.pid")), "the adopted postgres was not shut down");
        Assert.False(Directory.Exists($"/proc/{postmaster}"));
    }

    [WorldFact]
    public async Task WorkerKilledWhileCatchingUpFromTheArchive_NextWorker_AdoptsWithoutRestartingRecoveryAndReplayGoesOn()
    {
        await using var standby = world.NewStandby("adopt-archive");
        await standby.PreAuthorizeAsync();
        standby.Environment["PG_REPLICATION_PASSWORD"] = "not-the-password"; // the archive only: restore_command runs all along
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", Long);
        var before = await world.WriteProbeRowsAsync("before-the-kill", 50);
        await world.SqlAsync("SELECT pg_switch_wal()");
        await standby.WaitForProbeAsync(before, Long);
        var postmaster = standby.PostmasterProcessId();
        var startup = await standby.ScalarAsync("SELECT pid FROM pg_stat_activity WHERE backend_type = 'startup'");

        await standby.KillAsync(); // the worker only: postgres and its restore_command's pgBackRest go on
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", Long);
        var after = await world.WriteProbeRowsAsync("after-the-kill", 50);
        await world.SqlAsync("SELECT pg_switch_wal()");
        await standby.WaitForProbeAsync(after, Long);

        Assert.Contains($"postgres (pid {postmaster}) of this standby was already running: adopting it", standby.Output, StringComparison.Ordinal);
        Assert.Equal(postmaster, standby.PostmasterProcessId());
        Assert.Equal(startup, await standby.ScalarAsync("SELECT pid FROM pg_stat_activity WHERE backend_type = 'startup'")); // recovery never restarted
        Assert.Equal(0, standby.CountLog("left by an earlier worker")); // nothing of postgres's own pgBackRest stopped
    }

    [WorldFact]
    public async Task WorkerKilledDuringRestore_NextStart_ResumesWithDeltaAndStreams()
    {
        await using var standby = world.NewStandby("killed-restore");
        await standby.PreAuthorizeAsync();
        var manifest = Path.Combine(standby.DataDirectory, "backup.manifest");
        standby.Start();
        await Eventually.ThatAsync(() => Task.FromResult(File.Exists(manifest)), Long, () => "the restore never started:\n" + standby.Output);

        // A container killed mid-restore: the worker and every child die at once.
        await standby.KillAsync();
        await Leftovers.KillAsync(standby.DataDirectory, standby.Environment["BACKREST_CONFIG"]!);
        Assert.True(File.Exists(manifest), "the restore finished before it could be interrupted; make the test database larger");

        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        Assert.Contains("classified as DeltaRestore", standby.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(manifest));
        Assert.Equal(await world.SqlAsync("SELECT count(*) FROM pgbench_accounts"), await standby.ScalarAsync("SELECT count(*) FROM pgbench_accounts"));
    }
}
