using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Supervision;

/// <summary>
/// What postgres's lines say during one run: each line is classified (<see cref="PostgresLineKind"/>) and acted on —
/// a full disk, a restart for settings, ready, streaming, where startup waits for WAL, a segment the primary
/// refused, a timeline divergence. <see cref="BeginRun"/> forgets the last run: its lines say nothing of this one.
/// </summary>
public sealed class PostgresRunLines(
    StreamingStarted streaming,
    RefusedSegments refused,
    ForkConfirmation forks,
    HealthState health,
    IOptions<StandbyOptions> standby,
    TimeProvider time)
{
    private readonly PostgresLogTail _tail = new();
    private TaskCompletionSource _readyLine = New();
    private TaskCompletionSource<string> _settingsRestart = New<string>();
    private volatile bool _diskFull;
    private volatile bool _ready;
    private volatile string? _waitingAt;

    /// <summary>Free bytes on a path's file system, or null when it cannot be asked: statvfs, replaced by tests.</summary>
    internal Func<string, long?> FreeBytesOf { get; init; } = FreeBytes;

    /// <summary>Completes at postgres's "ready to accept connections" line.</summary>
    public Task ReadyLine => _readyLine.Task;

    /// <summary>Completes with the line of a startup process that needs a restart for settings below the primary's.</summary>
    public Task<string> SettingsRestart => _settingsRestart.Task;

    /// <summary>A line of this run said the disk is full.</summary>
    public bool DiskFull => _diskFull;

    /// <summary>Set once postgres accepts connections: lines then no longer report a full disk while starting.</summary>
    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }

    /// <summary>Where the startup process last said it waits for WAL, before it was ready.</summary>
    public string? WaitingAt => _waitingAt;

    /// <summary>postgres's last lines, for a crash's reason.</summary>
    public string Tail => _tail.ToString();

    public void BeginRun()
    {
        _readyLine = New();
        _settingsRestart = New<string>();
        _tail.Clear();
        _diskFull = false;
        _ready = false;
        _waitingAt = null;
    }

    public void Observe(string line)
    {
        _tail.Add(line);
        var dataDirectory = standby.Value.DataDirectory;
        var (kind, detail) = PostgresLineKinds.Classify(line, dataDirectory);
        switch (kind)
        {
            case PostgresLineKind.RestoreCommandCannotWrite when !_ready && FreeBytesOf(dataDirectory) is < PostgresLineKinds.WalSegmentBytes:
                ReportDiskFullWhileStarting(detail);
                break;
            case PostgresLineKind.NoSpaceLeft:
                _diskFull = true;

                // postgres may keep running and retry (the WAL receiver, restore_command): before it is ready nothing
                // else would say why it does not get there. Once ready, the lag monitor reports the stall.
                if (!_ready)
                {
                    ReportDiskFullWhileStarting(detail);
                }

                break;
            case PostgresLineKind.InsufficientSettings:
                _settingsRestart.TrySetResult(detail);
                break;
            case PostgresLineKind.Ready:
                _readyLine.TrySetResult();
                break;
            case PostgresLineKind.StreamingStarted:
                streaming.Raise(time.GetUtcNow());
                break;
            case PostgresLineKind.WaitingForWal when !_ready:
                _waitingAt = detail;
                break;
            case PostgresLineKind.SegmentRefused when RefusedSegments.Parse(detail) is { } removed:
                refused.Record(removed, time.GetUtcNow());
                break;
            case PostgresLineKind.TimelineDivergence:
                forks.Check(detail);
                break;
        }
    }

    private void ReportDiskFullWhileStarting(string message) =>
        health.Set(
            StandbyState.DiskFull,
            $"{standby.Value.DataDirectory}'s file system is full: postgres cannot write its WAL (postgres: {message})",
            $"make room on {standby.Value.DataDirectory}'s file system (or give it a larger volume); postgres goes on by itself");

    /// <summary>Free bytes on <paramref name="path"/>'s file system (statvfs), or null when it cannot be asked.</summary>
    private static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<T> New<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
