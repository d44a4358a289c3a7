using Moq;
using PgStandby.Core.Gaps;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Supervision;

/// <summary>A postgres that never becomes consistent is watched: the position its startup process waits at reaches the watch; a client's text never does.</summary>
public sealed class PostgresSupervisorConsistencyTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new();
    private readonly Mock<IStandbyQueries> _queries = new();
    private readonly FakeWatch _watch = new();

    public PostgresSupervisorConsistencyTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, ControlDataTests.RaisedSample, string.Empty));
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(1, string.Empty, string.Empty));
    }

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("startup", "LOG:  waiting for WAL to become available at 0/B000078", "0/B000078")]
    [InlineData("client backend", "LOG:  waiting for WAL to become available at 0/DEAD", null)]
    [InlineData("startup", "LOG:  redo starts at 0/B000028", null)]
    public async Task SuperviseAsync_NotConsistentYet_WatchSeesOnlyTheStartupProcessesPosition(string backendType, string message, string? expected)
    {
        // Arrange: postgres writes one line and never accepts connections
        using var stopping = new CancellationTokenSource();
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (_, onLine, _, graceful) =>
            {
                onLine($"2026-03-01 12:00:02.000 GMT [4250] {backendType}: {message}");
                _watch.LineWritten.TrySetResult();
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });
        var supervisor = SupervisorFactory.Create(_world, _world.CreateHealth(), _commands.Object, _queries.Object, consistency: _watch);

        // Act
        var supervising = supervisor.SuperviseAsync(() => { }, stopping.Token);
        await _watch.LineWritten.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _watch.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var seen = _watch.WaitingAt!();
        var ready = _watch.Ready!();
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(expected, seen);
        Assert.False(ready);
    }

    private sealed class FakeWatch : IConsistencyWatch
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource LineWritten { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<bool>? Ready { get; private set; }

        public Func<string?>? WaitingAt { get; private set; }

        public Task WatchAsync(Func<bool> ready, Func<string?> waitingAt, CancellationToken cancellationToken)
        {
            (Ready, WaitingAt) = (ready, waitingAt);
            Started.TrySetResult();
            return Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
