using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using PgStandby.Core.Health;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Pipeline;

/// <summary>Not run in parallel with anything else: a failing stage sets the process-wide Environment.ExitCode.</summary>
[Collection(ExitCodeTestGroup.Name)]
public sealed class StageRunnerTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly PipelineGate _gate = new();
    private readonly FakeLifetime _lifetime = new();
    private readonly HealthState _health;
    private readonly StageRunner _runner;
    private readonly int _exitCodeBefore = Environment.ExitCode;

    public StageRunnerTests()
    {
        _health = _world.CreateHealth();
        _runner = new StageRunner(_gate, _health, _lifetime, _world.Time, NullLogger<StageRunner>.Instance);
    }

    public void Dispose()
    {
        Environment.ExitCode = _exitCodeBefore;
        _lifetime.Dispose();
        _world.Dispose();
    }

    [Fact]
    public async Task RunAsync_WorkSucceeds_CompletesStage()
    {
        // Act
        await _runner.RunAsync(PipelineStage.KeyProvisioner, (_, _) => Task.CompletedTask, CancellationToken.None);

        // Assert
        Assert.True(_gate.IsComplete(PipelineStage.KeyProvisioner));
        Assert.False(_lifetime.StopRequested);
    }

    [Fact]
    public async Task RunAsync_WorkSignalsReady_LaterStagesStartWhileItRuns()
    {
        // Arrange
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate.Complete(PipelineStage.KeyProvisioner);
        _gate.Complete(PipelineStage.ConfigRenderer);
        _gate.Complete(PipelineStage.RestoreService);

        // Act
        var running = _runner.RunAsync(
            PipelineStage.PostgresProcessService,
            async (ready, _) =>
            {
                ready();
                await release.Task;
            },
            CancellationToken.None);
        await _gate.WaitForPreviousAsync(PipelineStage.ReplicationLagMonitor, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(running.IsCompleted);
        release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_PreviousStageFailed_SkipsWorkAndFailsToo()
    {
        // Arrange
        _gate.Fail(PipelineStage.KeyProvisioner);
        var ran = false;

        // Act
        await _runner.RunAsync(PipelineStage.ConfigRenderer, (_, _) => { ran = true; return Task.CompletedTask; }, CancellationToken.None);

        // Assert
        Assert.False(ran);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _gate.WaitForPreviousAsync(PipelineStage.RestoreService, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_StandbyExceptionRefused_SetsStateExitCodeAndStopsHost()
    {
        // Arrange
        _gate.Complete(PipelineStage.KeyProvisioner);
        _gate.Complete(PipelineStage.ConfigRenderer);

        // Act
        await _runner.RunAsync(
            PipelineStage.RestoreService,
            (_, _) => throw StandbyException.Refused("PGDATA is not a standby", "move it aside"),
            CancellationToken.None);

        // Assert
        Assert.Equal(ExitCodes.NeedsOperator, Environment.ExitCode);
        Assert.True(_lifetime.StopRequested);
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal("refused", status.State);
        Assert.Equal("PGDATA is not a standby", status.Reason);
        Assert.Equal("move it aside", status.NextStep);
        Assert.False(_gate.IsComplete(PipelineStage.RestoreService));
    }

    [Fact]
    public async Task RunAsync_UnexpectedException_FailingWithExitCode70()
    {
        // Act
        await _runner.RunAsync(PipelineStage.KeyProvisioner, (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None);

        // Assert
        Assert.Equal(ExitCodes.InternalFailure, Environment.ExitCode);
        Assert.True(_lifetime.StopRequested);
        Assert.Equal(StandbyState.Failing, _health.State);
        Assert.Contains("boom", _health.Current.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledByHostStop_FailsStageWithoutExitCode()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();

        // Act
        await _runner.RunAsync(
            PipelineStage.KeyProvisioner,
            async (_, token) =>
            {
                await stopping.CancelAsync();
                token.ThrowIfCancellationRequested();
            },
            stopping.Token);

        // Assert
        Assert.Equal(_exitCodeBefore, Environment.ExitCode);
        Assert.False(_lifetime.StopRequested);
        Assert.False(_gate.IsComplete(PipelineStage.KeyProvisioner));
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public bool StopRequested { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
            StopRequested = true;
            _stopping.Cancel();
        }

        public void Dispose() => _stopping.Dispose();
    }
}
