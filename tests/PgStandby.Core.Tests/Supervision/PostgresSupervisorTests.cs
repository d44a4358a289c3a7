using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Tests.Timelines;
using PgStandby.Core.Timelines;
using PgStandby.Core.Promotion;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Supervision;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Supervision;

public sealed class PostgresSupervisorTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly Mock<IStandbyResync> _resync = new(MockBehavior.Strict);
    private readonly ResyncSignal _signal = new();
    private readonly StreamingStarted _streaming = new();
    private readonly HealthState _health;
    private readonly NodeRole _role = new();
    private readonly Mock<IPromotionRecorder> _promotions = new();
    private readonly PostgresSupervisor _supervisor;
    private readonly List<CommandSpec> _started = [];
    private readonly List<CommandSpec> _prefetched = [];

    public PostgresSupervisorTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _health = _world.CreateHealth();
        _supervisor = SupervisorFactory.Create(_world, _health, _commands.Object, _queries.Object, _resync.Object, _signal, _streaming, _role, _promotions.Object, _ => null);
        _queries.Setup(q => q.IsAcceptingConnectionsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, ControlDataTests.RaisedSample, string.Empty));
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest" && spec.Arguments.Contains("archive-get")), It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, CancellationToken>((spec, _) =>
            {
                lock (_prefetched)
                {
                    _prefetched.Add(spec);
                }
            })
            .ReturnsAsync(new CommandResult(1, string.Empty, "unable to find 000000010000000000000000 in the archive"));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task SuperviseAsync_HostStops_RunsPostgresOnceAndStops()
    {
        // Arrange
        RunPostgres(_ => null);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        var spec = Assert.Single(_started);
        Assert.Equal(Path.Combine(_world.Standby.BinDirectory, "postgres"), spec.FileName);
        Assert.Equal(["-D", _world.Standby.DataDirectory, "-c", "config_file=" + new RunFiles(_world.Standby).PostgresConf], spec.Arguments);
        Assert.Equal(_world.Standby.DataDirectory, spec.WorkingDirectory);
        Assert.Equal(0, _supervisor.Restarts);
        Assert.Equal(StandbyState.Stopping, _health.State);
        Assert.True(File.Exists(Path.Combine(_world.Standby.DataDirectory, "standby.signal")));
        Assert.Contains("max_connections = 250", File.ReadAllText(new RunFiles(_world.Standby).PostgresConf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresExits_RestartsAfterBackoff()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(run => run == 1 ? 1 : null);

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.Current.Reason.StartsWith("postgres exited", StringComparison.Ordinal));
        var reason = _health.Current.Reason;
        var state = _health.State;

        // Parked on the clock for the backoff: moving the clock to just short of its end cannot be lost
        await FakeTimeExtensions.WaitUntilAsync(() => _world.Time.DueTimes.Contains(RestartBackoff.Delay(1)));
        _world.Time.Advance(RestartBackoff.Delay(1) - TimeSpan.FromMilliseconds(100));
        var startedBeforeBackoff = _started.Count;
        await _world.Time.AdvanceUntilAsync(() => _started.Count == 2, TimeSpan.FromMilliseconds(100));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("postgres exited unexpectedly with code 1; restarting it in 1 s (crash recovery, no restore)", reason);
        Assert.Equal(StandbyState.StartingPostgres, state);
        Assert.Equal(1, startedBeforeBackoff);
        Assert.Equal(1, _supervisor.Restarts);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresKeepsFailing_FailingWithItsLastLines()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => 1, line: Line("postmaster", "FATAL:  data directory has invalid permissions"));

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Failing, TimeSpan.FromSeconds(1));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(PostgresSupervisor.FailingAfter, _started.Count);
        Assert.Contains("data directory has invalid permissions", _health.Current.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresStopsOnFullDisk_DiskFull()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => 1, line: Line("walreceiver", "PANIC:  could not write to file \"pg_wal/xlogtemp.42\": No space left on device"));

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);

        // The line alone already says disk_full while postgres runs; its exit is what is reported here (a stop then would read "stopping").
        await FakeTimeExtensions.WaitUntilAsync(() => _health.State == StandbyState.DiskFull && _health.Current.Reason.StartsWith("postgres stopped", StringComparison.Ordinal));
        var status = _health.Current;
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("file system is full", status.Reason, StringComparison.Ordinal);
        Assert.Contains("make room", status.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresRunsButCannotWriteWalBeforeReady_DiskFull()
    {
        // Arrange: the WAL receiver fails on a full disk and postgres retries without exiting.
        using var stopping = new CancellationTokenSource();
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (_, onLine, _, graceful) =>
            {
                onLine(Line("walreceiver", "FATAL:  could not write to file \"pg_wal/xlogtemp.42\": No space left on device"));
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.State == StandbyState.DiskFull);
        var nextStep = _health.Current.NextStep;
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("make room", nextStep, StringComparison.Ordinal);
        Assert.Equal(0, _supervisor.Restarts);
    }

    [Fact]
    public async Task SuperviseAsync_ClientTextSaysTheDiskIsFull_NotDiskFull()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => null, line: Line("client backend", "FATAL:  password authentication failed for user \"No space left on device\""));
        StandbyState? whenReady = null;

        // Act: the state when postgres is ready is what the line left (nothing else sets one before).
        var supervising = _supervisor.SuperviseAsync(() => whenReady = _health.State, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => whenReady is not null);
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(StandbyState.StartingPostgres, whenReady);
    }

    [Fact]
    public async Task SuperviseAsync_ResyncRequested_StopsPostgresResyncsAndStartsAgain()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => null);
        _resync.Setup(r => r.ResyncAsync(It.IsAny<string>(), It.IsAny<PrimaryBranch?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var ready = 0;

        // Act
        var supervising = _supervisor.SuperviseAsync(() => ready++, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => ready == 1);
        _signal.Request("timeline forked");
        await FakeTimeExtensions.WaitUntilAsync(() => _started.Count == 2);
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        _resync.Verify(r => r.ResyncAsync("timeline forked", It.IsAny<PrimaryBranch?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(0, _supervisor.Restarts);
        Assert.False(_signal.Requested.IsCompleted);
    }

    [Fact]
    public async Task SuperviseAsync_PrimaryRaisedALimit_RestartsPostgresWithoutRestore()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => null, line: Line("startup", "WARNING:  hot standby is not possible because of insufficient parameter settings"));

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await _world.Time.AdvanceUntilAsync(() => _started.Count >= 2, TimeSpan.FromSeconds(1));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(0, _supervisor.Restarts);
        _resync.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SuperviseAsync_LaterRunsFailForAnotherReason_FailingShowsOnlyTheLastRunsLines()
    {
        // Arrange: the first run's disk was full; the next two fail on a bad setting
        using var stopping = new CancellationTokenSource();
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>((spec, onLine, _, _) =>
            {
                int run;
                lock (_started)
                {
                    _started.Add(spec);
                    run = _started.Count;
                }

                onLine(run == 1
                    ? Line("startup", "PANIC:  could not write to file \"pg_wal/xlogtemp.42\": No space left on device")
                    : Line("postmaster", "FATAL:  unrecognized configuration parameter \"shared_bufers\""));
                return Task.FromResult(1);
            });

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Failing, TimeSpan.FromSeconds(1));
        var failing = _health.Current;
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("shared_bufers", failing.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("No space left", failing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresCrashedAfterArchiveGetSaidMissing_NextStartHasAnEmptyQueue()
    {
        // Arrange: the first run leaves pgBackRest's "missing" answer for a segment in the spool, then crashes
        using var stopping = new CancellationTokenSource();
        var queue = Path.Combine(_world.Standby.PgBackRestSpoolPath, "archive", _world.Repository.Stanza, "in");
        var missing = Path.Combine(queue, "000000010000000000000005.ok");
        var seenBySecondRun = true;
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, _, _, graceful) =>
            {
                int run;
                lock (_started)
                {
                    _started.Add(spec);
                    run = _started.Count;
                }

                if (run == 1)
                {
                    Directory.CreateDirectory(queue);
                    File.WriteAllText(missing, string.Empty);
                    return 1;
                }

                seenBySecondRun = File.Exists(missing);
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await _world.Time.AdvanceUntilAsync(() => _started.Count >= 2, TimeSpan.FromSeconds(1));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(seenBySecondRun);
    }

    [Fact]
    public async Task SuperviseAsync_SettingsRestartAskedEveryRun_BacksOffThenFailing()
    {
        // Arrange: every run of postgres asks again (PG_SETTINGS keeps a limit below the primary's)
        using var stopping = new CancellationTokenSource();
        RunPostgres(_ => null, line: Line("startup", "WARNING:  hot standby is not possible because of insufficient parameter settings"));
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _started.Count == 1);

        // Act: no second start before the first backoff has passed
        _world.Time.Advance(TimeSpan.FromMilliseconds(999));
        var beforeBackoff = _started.Count;
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Failing, TimeSpan.FromSeconds(1));
        var failing = _health.Current;
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(1, beforeBackoff);
        Assert.Equal(PostgresSupervisor.FailingAfter, _started.Count);
        Assert.Contains("for settings below the primary's", failing.Reason, StringComparison.Ordinal);
        Assert.Contains("PG_SETTINGS", failing.NextStep, StringComparison.Ordinal);
        _resync.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("LOG:  new timeline 3 forked off current database system timeline 2 before current recovery point 0/5000000", true)]
    [InlineData("FATAL:  requested timeline 2 is not a child of this server's history", true)]
    [InlineData("LOG:  new timeline 4 is not a child of database system timeline 3", true)]
    [InlineData("LOG:  new target timeline is 3", false)]
    [InlineData("LOG:  started streaming WAL from primary at 0/4000000 on timeline 1", false)]
    public void IsDivergence_PostgresLine_RecognisesForks(string line, bool expected)
    {
        // Act
        var divergence = TimelineDivergence.IsDivergence(line);

        // Assert
        Assert.Equal(expected, divergence);
    }

    [Fact]
    public async Task SuperviseAsync_WalReceiverStartsStreaming_TellsTheLagMonitor()
    {
        // Arrange
        RunPostgres(_ => null, line: Line("walreceiver", "LOG:  started streaming WAL from primary at 0/4000000 on timeline 1"));

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        Assert.True(_streaming.Next.IsCompleted);
    }

    [Fact]
    public async Task SuperviseAsync_OtherLines_DoNotWakeTheLagMonitor()
    {
        // Arrange
        RunPostgres(_ => null, line: Line("startup", "LOG:  restored log file \"000000010000000000000004\" from archive"));

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        Assert.False(_streaming.Next.IsCompleted);
    }

    [Fact]
    public async Task SuperviseAsync_StartingPostgres_FillsTheArchiveGetQueueFromTheSegmentBeforeRedo()
    {
        // Arrange: pg_control's REDO segment is 000000010000000000000001.
        RunPostgres(_ => null);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        var spec = Assert.Single(_prefetched);
        Assert.True(spec.AsPostgres);
        Assert.Equal(
            ["--config=" + _world.Standby.PgBackRestConfig, "--stanza=" + _world.Repository.Stanza, "archive-get", "000000010000000000000000",
                Path.Combine(_world.Standby.PgBackRestSpoolPath, "prefetch-000000010000000000000000")],
            spec.Arguments);
    }

    [Fact]
    public async Task SuperviseAsync_PostgresSaysItIsReady_ReadyWithoutWaitingForTheNextPoll()
    {
        // Arrange: postgres becomes ready once the readiness wait found no postmaster.pid and is parked on its
        // poll (its first timer); fake time never moves, so only its "ready to accept" line can end the wait.
        using var stopping = new CancellationTokenSource();
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, onLine, _, graceful) =>
            {
                await FakeTimeExtensions.WaitUntilAsync(() => _world.Time.TimersCreated == 1);
                File.WriteAllLines(Path.Combine(spec.Arguments[1], "postmaster.pid"), ["4242", spec.Arguments[1], "0", "5432", "/run/postgresql", "*", "0 0", "standby"]);
                onLine(Line("postmaster", "LOG:  database system is ready to accept read-only connections"));
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var supervising = _supervisor.SuperviseAsync(() => ready.TrySetResult(), stopping.Token);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(TestWorld.Start, _world.Time.GetUtcNow());
        Assert.Equal(StandbyState.Stopping, _health.State);
    }

    [Theory]
    [InlineData("client backend", "FATAL:  password authentication failed for user \"x is not a child of this server's history\"")]
    [InlineData("client backend", "LOG:  statement: SELECT 'new timeline 9 forked off current database system timeline 1 before current recovery point 0/0'")]
    [InlineData("startup", "STATEMENT:  new timeline 9 forked off current database system timeline 1 before current recovery point 0/0")]
    [InlineData("parallel worker", "LOG:  new timeline 4 is not a child of database system timeline 3")]
    [InlineData("walsender", "LOG:  received replication command: requested timeline 2 is not a child of this server's history")]
    public async Task SuperviseAsync_ForkWordsFromAClient_NeitherChecksNorResyncs(string backendType, string message)
    {
        // Arrange: the primary, if asked, would confirm a fork.
        ForkedPrimary();
        RunPostgres(_ => null, line: Line(backendType, message));

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        _queries.Verify(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(_signal.Requested.IsCompleted);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n\t")]
    public async Task SuperviseAsync_ForgedPrefixBehindALineBreakInAUserName_IsNotTheStartupProcess(string breakText)
    {
        // Arrange: what postgres writes for a failed login whose user name holds a line break and a forged line
        // (it indents what follows a line feed with a tab); the runner hands over lines split on line feeds only.
        ForkedPrimary();
        var forged = Line("client backend", "FATAL:  password authentication failed for user \"x" + breakText
            + Line("startup", "LOG:  new timeline 9 forked off current database system timeline 1 before current recovery point 0/0") + "\"");
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, onLine, _, graceful) =>
            {
                await LineFeedPipeTarget.ReadLinesAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(forged + "\n")), onLine, CancellationToken.None);
                File.WriteAllLines(Path.Combine(spec.Arguments[1], "postmaster.pid"), ["4242", spec.Arguments[1], "0", "5432", "/run/postgresql", "*", "0 0", "standby"]);
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        _queries.Verify(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(_signal.Requested.IsCompleted);
    }

    [Fact]
    public async Task SuperviseAsync_StartupProcessReportsAForkThePrimaryConfirms_RequestsAResync()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        ForkedPrimary();
        _resync.Setup(r => r.ResyncAsync(It.IsAny<string>(), It.IsAny<PrimaryBranch?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        RunPostgres(_ => null, line: Line("startup", "LOG:  new timeline 2 forked off current database system timeline 1 before current recovery point 0/5000000"));

        // Act
        var supervising = _supervisor.SuperviseAsync(() => { }, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _started.Count >= 2);
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        _resync.Verify(r => r.ResyncAsync(It.Is<string>(reason => reason.Contains("left timeline 1 at 0/4000000, before the standby's position 0/5000000", StringComparison.Ordinal)), It.IsAny<PrimaryBranch?>(), It.IsAny<CancellationToken>()), Times.AtLeastOnce);
    }

    /// <summary>A line as postgres writes it with the managed log_line_prefix.</summary>
    private static string Line(string backendType, string severityAndMessage) =>
        $"2026-03-01 12:00:02.000 GMT [4250] {backendType}: {severityAndMessage}";

    /// <summary>The primary is on timeline 2, which left timeline 1 at 0/4000000; the standby replayed timeline 1 to 0/5000000.</summary>
    private void ForkedPrimary()
    {
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new PrimaryTimeline(2, null));
        ArchivedHistory.Setup(_commands, [new TimelineSwitch(1, 0x4000000)]);
        _queries.Setup(q => q.ReplayPositionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StandbyPosition(0x5000000, null));
    }

    /// <summary>Supervises until postgres is ready once, then stops the host.</summary>
    private async Task SuperviseUntilReadyThenStopAsync()
    {
        using var stopping = new CancellationTokenSource();
        var ready = 0;
        var supervising = _supervisor.SuperviseAsync(() => ready++, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => ready == 1);
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The n-th run (from 1) exits with the code <paramref name="exitCode"/> returns, or runs until the host stops.</summary>
    private void RunPostgres(Func<int, int?> exitCode, string? line = null) =>
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, onLine, _, graceful) =>
            {
                if (line is not null)
                {
                    onLine(line);
                }

                lock (_started)
                {
                    _started.Add(spec);
                }

                if (exitCode(_started.Count) is { } code)
                {
                    return code;
                }

                // What a real hot standby writes once it accepts connections (line 8 of postmaster.pid).
                File.WriteAllLines(Path.Combine(spec.Arguments[1], "postmaster.pid"), ["4242", spec.Arguments[1], "0", "5432", "/run/postgresql", "*", "0 0", "standby"]);
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });
}
