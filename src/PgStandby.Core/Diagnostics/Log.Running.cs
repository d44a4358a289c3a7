using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventIds.PostgresStarting, LogLevel.Information, "Starting postgres on {DataDirectory}, port {Port}")]
    public static partial void PostgresStarting(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(EventIds.StalePidFileRemoved, LogLevel.Warning, "Removed the stale postmaster.pid of {DataDirectory}: process {Pid} it names is now this worker, one of its threads or an ancestor, not a postmaster")]
    public static partial void StalePidFileRemoved(ILogger logger, string dataDirectory, int pid);

    [LoggerMessage(EventIds.PostgresLine, LogLevel.Information, "postgres: {Line}")]
    public static partial void PostgresLine(ILogger logger, string line);

    [LoggerMessage(EventIds.ForkNotConfirmed, LogLevel.Warning, "postgres reported a timeline fork ({PostgresMessage}) that the primary's history does not confirm: no re-sync ({Why})")]
    public static partial void ForkNotConfirmed(ILogger logger, string postgresMessage, string why);

    [LoggerMessage(EventIds.PostgresReady, LogLevel.Information, "postgres accepts connections on port {Port}")]
    public static partial void PostgresReady(ILogger logger, int port);

    [LoggerMessage(EventIds.PostgresExited, LogLevel.Warning, "postgres exited unexpectedly with code {ExitCode}")]
    public static partial void PostgresExited(ILogger logger, int exitCode);

    [LoggerMessage(EventIds.PostgresRestartScheduled, LogLevel.Warning, "Restarting postgres in {Delay} (attempt {Attempt})")]
    public static partial void PostgresRestartScheduled(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(EventIds.PostgresStopping, LogLevel.Information, "Stopping postgres with a fast shutdown (up to {Timeout})")]
    public static partial void PostgresStopping(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventIds.PostgresStopped, LogLevel.Information, "postgres stopped")]
    public static partial void PostgresStopped(ILogger logger);

    [LoggerMessage(EventIds.ResyncStopping, LogLevel.Warning, "Stopping postgres to re-sync the standby: {Reason}")]
    public static partial void ResyncStopping(ILogger logger, string reason);

    [LoggerMessage(EventIds.RestartingForSettings, LogLevel.Warning, "Restarting postgres so it runs with the primary's raised limits read from pg_control: {Line}")]
    public static partial void RestartingForSettings(ILogger logger, string line);

    [LoggerMessage(EventIds.WalPrefetchStarting, LogLevel.Debug, "Filling pgBackRest's archive-get queue from {Segment} while postgres starts")]
    public static partial void WalPrefetchStarting(ILogger logger, string segment);

    [LoggerMessage(EventIds.WalPrefetchFailed, LogLevel.Debug, "The archive-get queue was not filled ahead ({Reason}); postgres fetches its WAL itself")]
    public static partial void WalPrefetchFailed(ILogger logger, string reason);

    [LoggerMessage(EventIds.ResyncStarting, LogLevel.Warning, "Re-syncing the standby from the newest backup with --delta: {Reason}")]
    public static partial void ResyncStarting(ILogger logger, string reason);

    [LoggerMessage(EventIds.ReplicationSampled, LogLevel.Information, "Replication: {State}, lag {Lag}, received {ReceivedLsn}, replayed {ReplayedLsn}")]
    private static partial void ReplicationSampled(ILogger logger, string state, string lag, string receivedLsn, string replayedLsn);

    /// <summary>What is not known yet (nothing received, no commit replayed) is said so, not printed as "(null)".</summary>
    public static void ReplicationSampled(ILogger logger, string state, long? lagBytes, double? lagSeconds, string? receivedLsn, string? replayedLsn)
    {
        var bytes = lagBytes is { } b ? $"{b} bytes" : "unknown bytes";
        var seconds = lagSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.###} s") : "seconds unknown";
        ReplicationSampled(logger, state, $"{bytes} / {seconds}", receivedLsn ?? "nothing yet", replayedLsn ?? "nothing yet");
    }

    [LoggerMessage(EventIds.ArchiveNotRead, LogLevel.Warning, "The archive's newest WAL cannot be read, so the lag stays unknown while the primary cannot be asked: {Problem}")]
    public static partial void ArchiveNotRead(ILogger logger, string problem);

    [LoggerMessage(EventIds.ArchiveOnAnotherTimeline, LogLevel.Warning, "The archive's newest WAL {Segment} is on timeline {ArchiveTimeline}, not on replay's timeline {ReplayTimeline}: a fork to look into, or a timeline switch replay has not reached yet; no lag is measured against it")]
    public static partial void ArchiveOnAnotherTimeline(ILogger logger, string segment, int archiveTimeline, int replayTimeline);

    [LoggerMessage(EventIds.MonitorFailed, LogLevel.Error, "The replication monitor failed; it samples again at its next interval")]
    public static partial void MonitorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.SampleFailed, LogLevel.Warning, "Cannot sample replication: {Error}")]
    public static partial void SampleFailed(ILogger logger, string error);

    [LoggerMessage(EventIds.StageCompleted, LogLevel.Information, "Stage {Stage} done in {Elapsed}")]
    public static partial void StageCompleted(ILogger logger, string stage, TimeSpan elapsed);

    [LoggerMessage(EventIds.StageFailed, LogLevel.Critical, "Stage {Stage} stopped the worker (exit {ExitCode}): {Reason}. Next step: {NextStep}")]
    public static partial void StageFailed(ILogger logger, string stage, int exitCode, string reason, string nextStep);

    [LoggerMessage(EventIds.StageCrashed, LogLevel.Critical, "Stage {Stage} failed unexpectedly")]
    public static partial void StageCrashed(ILogger logger, string stage, Exception exception);
}
