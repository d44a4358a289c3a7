using System.Globalization;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>
/// A container killed with its postgres and started again: PGDATA keeps the dead postmaster's postmaster.pid, and the
/// fresh pid namespace hands out the same small pids again, so the pid it names may now be the new worker itself, one
/// of its threads or its parent. Postgres's own lock-file logic never takes those for another postmaster; neither may
/// the worker. Each test runs the worker in a pid namespace of its own, kills that namespace (SIGKILL to its pid 1:
/// the worker, postgres and every child die at once), then writes into postmaster.pid the pid that the lineage in
/// question will have in the next namespace: the reuse that happens by chance in real life, made certain.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class PidReuseTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>A shell as pid 1 that starts the worker as its child (pid 2) and waits for it, as tini does.</summary>
    private const string ShellInit = "\"$@\"; exit $?";

    [WorldFact]
    public async Task KilledWithItsPostgres_PostmasterPidNowNamesTheWorkerItself_StartsPostgresAndStreamsWithoutRestore()
    {
        // The worker is pid 1 of its namespace.
        await RestartedWhereTheOldPostmasterPidIsReusedAsync("pid-reuse-self", init: null, reused: 1, expected: "the worker");
    }

    [WorldFact]
    public async Task KilledWithItsPostgres_PostmasterPidNowNamesAThreadOfTheWorker_StartsPostgresAndStreamsWithoutRestore()
    {
        // The worker is pid 1; pid 2 is the first thread the .NET runtime starts (the finalizer's), before Main.
        await RestartedWhereTheOldPostmasterPidIsReusedAsync("pid-reuse-thread", init: null, reused: 2, expected: "a thread of the worker");
    }

    [WorldFact]
    public async Task KilledWithItsPostgres_WorkerRunAsPostgres_PostmasterPidNowNamesAThreadOfTheWorker_StartsPostgresAndStreamsWithoutRestore()
    {
        // As systemd's User=postgres runs it: postgres and the worker's threads are then the same user's, so postgres's
        // own check (kill(pid, 0) succeeds: "Is another postmaster running?") sees the thread as alive too.
        await RestartedWhereTheOldPostmasterPidIsReusedAsync("pid-reuse-thread-as-postgres", init: null, reused: 2, expected: "a thread of the worker", asPostgres: true);
    }

    [WorldFact]
    public async Task KilledWithItsPostgres_PostmasterPidNowNamesTheWorkersParent_StartsPostgresAndStreamsWithoutRestore()
    {
        await RestartedWhereTheOldPostmasterPidIsReusedAsync("pid-reuse-parent", ShellInit, reused: 1, expected: "the worker's parent");
    }

    [WorldFact]
    public async Task KilledWithItsPostgres_PostmasterPidNowNamesAnUnrelatedProcess_RefusesWith78AndTouchesNothing()
    {
        // README: a postmaster.pid naming any other live process is a refusal. Pid 2 is a sibling of the worker that
        // /proc shows plainly (not postgres, not on PGDATA); the shared memory is looked at only when /proc hides one.
        await using var standby = await KilledWithItsPostgresAsync("pid-reuse-unrelated");
        standby.NamespaceInit = "sleep infinity & " + ShellInit; // sh is pid 1, sleep 2, the worker 3
        var pidFile = ReusePid(standby, 2);
        var before = await File.ReadAllTextAsync(pidFile);

        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("postmaster.pid names process 2, which is running but is not a postgres of this data directory", standby.Output, StringComparison.Ordinal);
        Assert.Equal("refused", standby.State);
        Assert.Equal(0, standby.CountLog("Starting postgres on"));
        Assert.Equal(before, await File.ReadAllTextAsync(pidFile));
    }

    private async Task RestartedWhereTheOldPostmasterPidIsReusedAsync(string name, string? init, int reused, string expected, bool asPostgres = false)
    {
        await using var standby = await KilledWithItsPostgresAsync(name, asPostgres);
        var rows = await world.WriteProbeRowsAsync(name); // committed while the standby is down
        standby.NamespaceInit = init;
        ReusePid(standby, reused);

        standby.Start();

        await standby.WaitForStateAsync("streaming", Long);
        Assert.Equal(expected, WhoIs(standby, reused));
        Assert.NotEqual(reused, standby.PostmasterProcessId());
        await standby.WaitForProbeAsync(rows, TimeSpan.FromMinutes(1));
        Assert.Equal(1, standby.CountLog($"Removed the stale postmaster.pid of {standby.DataDirectory}: process {reused} it names"));
        Assert.Equal(0, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Re-syncing"));
        Assert.Equal(0, standby.CountLog("adopting it"));
        Assert.False(standby.HasExited, standby.Output);
    }

    /// <summary>A streaming standby in a pid namespace of its own, killed with everything it started.</summary>
    private async Task<StandbyProcess> KilledWithItsPostgresAsync(string name, bool asPostgres = false)
    {
        var standby = world.NewStandby(name);
        try
        {
            await standby.PreAuthorizeAsync();
            if (asPostgres)
            {
                var binaries = Path.Combine(world.Root, "bin-" + name);
                await Shell.RunAsync("cp", ["-a", Path.GetDirectoryName(world.Binary)!, binaries]);
                await Shell.RunAsync("chmod", ["-R", "a+rX", binaries]);
                await Shell.RunAsync("chown", ["-R", "postgres:postgres", standby.Directory]);
                standby.RunAsPostgresFrom = Path.Combine(binaries, "pgstandby");
            }

            standby.OwnPidNamespace = true;
            standby.Start();
            await standby.WaitForStateAsync("streaming", Long);
            Assert.Equal(1, standby.PidAsTheWorkerSeesIt());

            await standby.KillAsync();
            Assert.Empty(standby.RunningProcesses()); // postgres died with the namespace
            Assert.True(File.Exists(Path.Combine(standby.DataDirectory, "postmaster.pid")), "postgres removed its postmaster.pid: it was not killed");
            return standby;
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes <paramref name="pid"/> as the postmaster's pid (the first line), the rest of the dead postmaster's file kept.</summary>
    private static string ReusePid(StandbyProcess standby, int pid)
    {
        var path = Path.Combine(standby.DataDirectory, "postmaster.pid");
        var lines = File.ReadAllLines(path);
        lines[0] = pid.ToString(CultureInfo.InvariantCulture);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>What <paramref name="pid"/> is in the running worker's pid namespace, to prove the reuse the test set up.</summary>
    private static string WhoIs(StandbyProcess standby, int pid)
    {
        var worker = standby.WorkerProcessId();
        if (StandbyProcess.PidInItsNamespace(worker) == pid)
        {
            return "the worker";
        }

        foreach (var task in Directory.EnumerateDirectories($"/proc/{worker}/task"))
        {
            if (StandbyProcess.PidInItsNamespace(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)) == pid)
            {
                return "a thread of the worker";
            }
        }

        var parent = File.ReadLines($"/proc/{worker}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim();
        return StandbyProcess.PidInItsNamespace(int.Parse(parent, CultureInfo.InvariantCulture)) == pid ? "the worker's parent" : "another process, or none";
    }
}
