using System.Diagnostics;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>Signals to the standby's own processes: postgres killed under the worker, the worker stopped mid-restore.</summary>
[Collection(WorldDefinition.Name)]
public sealed class ProcessFaultTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task StreamingStandby_PostmasterSigkilled_WorkerRestartsItWithCrashRecoveryAndStreams()
    {
        await using var standby = world.NewStandby("postgres-killed");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await world.WriteProbeRowsAsync("before-postgres-killed");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));

        var killed = standby.PostmasterProcessId();
        Assert.Equal(0, NativeMethods.Kill(killed, NativeMethods.SigKill));
        await standby.WaitForLogAsync("postgres exited unexpectedly", TimeSpan.FromSeconds(30));

        await Eventually.ThatAsync(
            () => Task.FromResult(standby.State == "streaming" && standby.PostmasterProcessId() != killed),
            TimeSpan.FromMinutes(2),
            () => $"postgres was not restarted to streaming (state {standby.State}):\n{standby.Output}");
        Assert.Equal(before, await standby.ProbeFingerprintAsync());
        var after = await world.WriteProbeRowsAsync("after-postgres-killed");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(1));

        Assert.False(standby.HasExited);
        Assert.Contains("crash recovery, no restore", standby.Output, StringComparison.Ordinal);
        Assert.Contains("database system was interrupted while in recovery", standby.Output, StringComparison.Ordinal);
        Assert.Equal(1, standby.CountLog("classified as"));
        Assert.Equal(1, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Re-syncing"));
    }

    [WorldFact]
    public async Task WorkerSigtermedMidRestore_ExitsZeroWithinBudgetLeavingNothing_NextStartResumesWithDelta()
    {
        var before = await world.WriteProbeRowsAsync("before-sigterm-restore");
        await using var standby = world.NewStandby("sigterm-restore");
        var budget = TimeSpan.FromSeconds(int.Parse(standby.Environment["PGSTANDBY_STOP_TIMEOUT_SECONDS"]!, System.Globalization.CultureInfo.InvariantCulture) + 15);
        await standby.PreAuthorizeAsync();
        var manifest = Path.Combine(standby.DataDirectory, "backup.manifest");
        standby.Start();
        // Mid-restore: pgBackRest's processes are copying files (a stop before they start tests less).
        await Eventually.ThatAsync(
            () => Task.FromResult(File.Exists(manifest) && Bytes(standby.DataDirectory) >= 16 * 1024 * 1024),
            Long,
            () => "the restore never got going:\n" + standby.Output);

        var stopping = Stopwatch.StartNew();
        var exitCode = await standby.StopAsync(budget + TimeSpan.FromSeconds(30));
        stopping.Stop();
        var left = standby.RunningProcesses();
        var fate = left.Count == 0 ? string.Empty : await WatchLeftoversAsync(standby);

        Assert.True(File.Exists(manifest), "the restore finished before it could be interrupted; make the test database larger");
        Assert.True(stopping.Elapsed <= budget, $"the worker took {stopping.Elapsed.TotalSeconds:0.0} s to stop, more than its budget of {budget.TotalSeconds:0} s:\n{standby.Output}");
        Assert.Equal(0, exitCode);
        Assert.True(left.Count == 0, $"processes of the standby still ran when the worker had exited ({fate}):\n{string.Join('\n', left)}\nworker output:\n{standby.Output}");

        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Contains("classified as DeltaRestore", standby.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(manifest));
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));
    }

    /// <summary>For the failure message: do the leftovers end by themselves, and do they go on writing into PGDATA meanwhile?</summary>
    private static async Task<string> WatchLeftoversAsync(StandbyProcess standby)
    {
        var watch = Stopwatch.StartNew();
        var bytesAtExit = Bytes(standby.DataDirectory);
        while (standby.RunningProcesses().Count > 0 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(250);
        }

        var written = (Bytes(standby.DataDirectory) - bytesAtExit) / 1024.0 / 1024.0;
        var still = standby.RunningProcesses().Count;
        return still == 0
            ? $"they ended by themselves {watch.Elapsed.TotalSeconds:0.0} s later, after writing {written:0.0} MiB more into PGDATA"
            : $"{still} still ran {watch.Elapsed.TotalSeconds:0} s later, having written {written:0.0} MiB more into PGDATA";
    }

    private static long Bytes(string root)
    {
        try
        {
            return new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0; // a file went away while being counted: count again on the next poll
        }
    }
}
