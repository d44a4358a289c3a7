using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Replication;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Health;

/// <summary>
/// The one state shared by every pipeline stage. Each change is logged once and persisted to the
/// status file, which <c>pgstandby health</c> and <c>pgstandby status</c> read from another process.
/// </summary>
public sealed partial class HealthState
{
    private readonly Lock _gate = new();
    private readonly IOptions<StandbyOptions> _standby;
    private readonly IOptions<RepositoryOptions> _repository;
    private readonly IOptions<SupervisionOptions> _supervision;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthState> _logger;
    private StatusSnapshot _current;

    public HealthState(IOptions<StandbyOptions> standby, IOptions<RepositoryOptions> repository, TimeProvider time, ILogger<HealthState> logger)
        : this(standby, repository, Options.Create(new SupervisionOptions()), time, logger)
    {
    }

    public HealthState(IOptions<StandbyOptions> standby, IOptions<RepositoryOptions> repository, IOptions<SupervisionOptions> supervision, TimeProvider time, ILogger<HealthState> logger)
    {
        // Options are read on first use, never here: the host validates them all before anything runs.
        _standby = standby;
        _repository = repository;
        _supervision = supervision;
        _time = time;
        _logger = logger;
        var now = time.GetUtcNow();
        _current = new StatusSnapshot
        {
            State = StandbyState.Starting.Name(),
            Since = now,
            Reason = "the worker is starting",
            NextStep = "none: wait",
            Pid = Environment.ProcessId,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// For a CLI verb (pgstandby promote) that uses the worker's services beside the running worker: the same
    /// state in memory, never written over the running worker's status file.
    /// </summary>
    public bool Detached { get; init; }

    public StatusSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public StandbyState State => StandbyStateNames.Parse(Current.State) ?? StandbyState.Starting;

    /// <summary>Moves to <paramref name="state"/>; logs and persists only when state or reason changed.</summary>
    public void Set(StandbyState state, string reason, string nextStep)
    {
        StatusSnapshot snapshot;
        lock (_gate)
        {
            var name = state.Name();
            if (_current.State == name && _current.Reason == reason)
            {
                return;
            }

            var now = _time.GetUtcNow();
            snapshot = _current with
            {
                State = name,
                Since = _current.State == name ? _current.Since : now,
                Reason = reason,
                NextStep = nextStep,
                RestorePercent = IsRestoring(state) ? _current.RestorePercent : null,
                RestoreBytesDone = IsRestoring(state) ? _current.RestoreBytesDone : null,
                RestoreBytesTotal = IsRestoring(state) ? _current.RestoreBytesTotal : null,
            };
            if (_current.State != name)
            {
                _progressAt = null;
                snapshot = TimeRestore(snapshot, StandbyStateNames.Parse(_current.State) ?? StandbyState.Starting, state, now);
            }

            snapshot = Stamp(snapshot, now);
            _current = snapshot;
        }

        Log.StateChanged(_logger, snapshot.State, reason, nextStep);
        Persist();
    }

    /// <summary>On host stop; a refusal or failure that stopped the host stays visible instead.</summary>
    public void MarkStopping()
    {
        if (Environment.ExitCode == ExitCodes.Success)
        {
            Set(StandbyState.Stopping, "the worker is stopping", "none");
        }
    }

    public void SetPublicKey(string? publicKey) => Update(s => s with { PublicKey = publicKey });

    /// <summary>The primary's host key the worker accepted, and why (pinned, known_hosts, trusted on first use); written only when it changes.</summary>
    public void SetPrimaryHostKey(string hostKey)
    {
        if (!string.Equals(Current.PrimaryHostKey, hostKey, StringComparison.Ordinal))
        {
            Update(s => s with { PrimaryHostKey = hostKey });
        }
    }

    /// <summary>The TLS client certificate the repository accepted the standby's commands with (BACKREST_REPO_TRANSPORT=tls).</summary>
    public void SetTlsCertificate(TlsCertificateStatus certificate)
    {
        if (Current.TlsCertificate != certificate)
        {
            Update(s => s with { TlsCertificate = certificate });
        }
    }

    /// <summary>This node runs as a primary under <paramref name="promotion"/>.</summary>
    public void SetPromotion(PromotionRecord promotion) => Update(s => s with { Promotion = promotion, LagBytes = null, LagSeconds = null, LagAgainst = null, WalReceiver = null });

    /// <summary>Whether the old primary answers as a primary again (a promoted node asks it now and then).</summary>
    public void SetOldPrimaryWritable(bool? writable)
    {
        if (Current.OldPrimaryWritable != writable)
        {
            Update(s => s with { OldPrimaryWritable = writable });
        }
    }

    public void SetRestorePercent(double percent) => ReportRestoreProgress(percent, null, null);

    /// <summary>Records a replication sample; written every time so the file also shows the worker is alive.</summary>
    public void Record(ReplicationSample sample)
    {
        LastSample = sample;
        Update(s => s with
        {
            LagBytes = sample.LagBytes,
            LagSeconds = sample.LagSeconds,
            LagAgainst = sample.LagBytes is null ? null : sample.LagAgainstArchive ? "archive" : "primary",
            ReceivedLsn = sample.ReceivedLsn,
            ReplayedLsn = sample.ReplayedLsn,
            WalReceiver = sample.WalReceiverStatus,
            LastReplayAgeSeconds = sample.LastReplayAgeSeconds,
        });
    }

    /// <summary>The newest replication sample, for the metrics; null until postgres answers.</summary>
    public ReplicationSample? LastSample { get; private set; }

    /// <summary>
    /// Alive by its state alone: whether restarting the worker could help. Only <c>failing</c> (postgres does not
    /// start) and <c>refused</c> (the worker stops) say yes; waiting, lagging, stalled and a full disk are alerts
    /// that a restart cannot fix, and killing a standby that serves reads then would only make things worse.
    /// </summary>
    public static bool IsHealthy(StandbyState state) => state is not (StandbyState.Failing or StandbyState.Refused);

    /// <summary>Ready for the traffic its role takes: a streaming standby within the lag limits, or a primary that accepts writes.</summary>
    public static bool IsReady(StandbyState state) => state is StandbyState.Streaming or StandbyState.Primary;

    private void Update(Func<StatusSnapshot, StatusSnapshot> change)
    {
        lock (_gate)
        {
            _current = Stamp(change(_current), _time.GetUtcNow());
        }

        Persist();
    }

    /// <summary>Writes the newest snapshot under the lock, so an older one can never overwrite it.</summary>
    private void Persist()
    {
        if (Detached)
        {
            return;
        }

        var runDirectory = _standby.Value.RunDirectory;
        try
        {
            lock (_gate)
            {
                _current = _current with
                {
                    PrimaryHost = _repository.Value.PrimaryHost,
                    PrimarySshUser = _repository.Value.Transport == RepositoryTransport.Ssh ? _repository.Value.SshUser : null,
                    Transport = _repository.Value.Transport == RepositoryTransport.Tls ? "tls" : "ssh",
                };
                Directory.CreateDirectory(runDirectory);
                StatusFile.Write(runDirectory, _current);
            }
        }
        catch (IOException exception)
        {
            Log.StatusFileNotWritten(_logger, StatusFile.PathIn(runDirectory), exception.Message);
        }
        catch (UnauthorizedAccessException exception)
        {
            Log.StatusFileNotWritten(_logger, StatusFile.PathIn(runDirectory), exception.Message);
        }
    }
}
