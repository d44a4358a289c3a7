using Microsoft.Extensions.Logging;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Processes;

/// <summary>
/// A worker that was killed (SIGKILL, OOM) leaves its children running: a pgbackrest restore still
/// writing into PGDATA, or its postgres. Before deciding anything, the next worker stops them: SIGTERM (SIGINT, a
/// fast shutdown, for postgres), then SIGKILL after a bound. Which processes are there is <see cref="ProcTable"/>'s
/// to say, which postmaster PGDATA names is Postgres.RunningPostmaster's.
/// </summary>
public sealed class LeftoverProcesses(TimeProvider time, ILogger<LeftoverProcesses> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Stops every pgbackrest process started with our config file (restore, its locals, the detached
    /// asynchronous archive-get), every ssh started with our ssh_config (pgBackRest's connections) and the
    /// shared connection listening on our control socket (OpenSSH names it "ssh: SOCKET [mux]").
    /// </summary>
    /// <param name="leftByEarlierWorker">At start: what it finds was left by a killed worker (a warning).
    /// Otherwise the worker stops its own, as it stops or re-syncs.</param>
    public async Task StopPgBackRestAsync(StandbyOptions standby, bool leftByEarlierWorker, CancellationToken cancellationToken)
    {
        var files = new RunFiles(standby);
        var marker = "--config=" + standby.PgBackRestConfig;
        var master = $"ssh: {files.SshControlSocket} [mux]";
        var found = ProcTable.Scan().Where(p => p.Arguments.Count > 0 && (
            (p.Program == "pgbackrest" && p.Arguments.Contains(marker))
            || (p.Program == "ssh" && p.Arguments.Contains(files.SshConfig))
            || p.Arguments[0] == master)).ToList();
        foreach (var process in found)
        {
            _ = Native.Kill(process.Pid, Native.SigTerm);
        }

        await WaitGoneAsync(found, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var process in found.Where(p => ProcTable.IsAlive(p.Pid)))
        {
            _ = Native.Kill(process.Pid, Native.SigKill);
        }

        foreach (var process in found)
        {
            if (leftByEarlierWorker)
            {
                Log.LeftoverStopped(logger, process.Pid, process.Command);
            }
            else
            {
                Log.PgBackRestStopped(logger, process.Pid, process.Command);
            }
        }
    }

    /// <summary>Stops a postgres with a fast shutdown (SIGINT), killing it after <paramref name="timeout"/>.</summary>
    public async Task StopPostmasterAsync(int pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = ProcTable.Read(pid);
        if (process is null)
        {
            return;
        }

        _ = Native.Kill(pid, Native.SigInt);
        await WaitGoneAsync([process], timeout, cancellationToken).ConfigureAwait(false);
        if (ProcTable.IsAlive(pid))
        {
            _ = Native.Kill(pid, Native.SigKill);
        }

        Log.LeftoverStopped(logger, pid, process.Command);
    }

    /// <summary>Waits until <paramref name="pid"/> is gone (polling: it is not our child).</summary>
    public async Task WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        while (ProcTable.IsAlive(pid) && !ProcTable.IsZombie(pid))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitGoneAsync(IReadOnlyList<ProcessEntry> processes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (processes.Any(p => ProcTable.IsAlive(p.Pid)) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
