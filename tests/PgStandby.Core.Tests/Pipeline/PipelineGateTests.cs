using PgStandby.Core.Pipeline;

namespace PgStandby.Core.Tests.Pipeline;

public sealed class PipelineGateTests
{
    [Fact]
    public void WaitForPreviousAsync_FirstStage_CompletesAtOnce()
    {
        // Arrange
        var gate = new PipelineGate();

        // Act
        var waiting = gate.WaitForPreviousAsync(PipelineStage.KeyProvisioner, CancellationToken.None);

        // Assert
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForPreviousAsync_PreviousStageCompletes_CompletesAfterIt()
    {
        // Arrange
        var gate = new PipelineGate();
        var waiting = gate.WaitForPreviousAsync(PipelineStage.RestoreService, CancellationToken.None);
        var pending = waiting.IsCompleted;

        // Act
        gate.Complete(PipelineStage.ConfigRenderer);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(pending);
        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.True(gate.IsComplete(PipelineStage.ConfigRenderer));
    }

    [Fact]
    public void WaitForPreviousAsync_OtherStageCompletes_KeepsWaiting()
    {
        // Arrange
        var gate = new PipelineGate();
        var waiting = gate.WaitForPreviousAsync(PipelineStage.PostgresProcessService, CancellationToken.None);

        // Act
        gate.Complete(PipelineStage.KeyProvisioner);
        gate.Complete(PipelineStage.ConfigRenderer);

        // Assert
        Assert.False(waiting.IsCompleted);
        Assert.False(gate.IsComplete(PipelineStage.RestoreService));
    }

    [Fact]
    public async Task WaitForPreviousAsync_PreviousStageFails_ThrowsOperationCanceled()
    {
        // Arrange
        var gate = new PipelineGate();
        var waiting = gate.WaitForPreviousAsync(PipelineStage.ConfigRenderer, CancellationToken.None);

        // Act
        gate.Fail(PipelineStage.KeyProvisioner);

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(gate.IsComplete(PipelineStage.KeyProvisioner));
    }

    [Fact]
    public async Task WaitForPreviousAsync_HostStopping_ThrowsOperationCanceled()
    {
        // Arrange
        var gate = new PipelineGate();
        using var stopping = new CancellationTokenSource();
        var waiting = gate.WaitForPreviousAsync(PipelineStage.ReplicationLagMonitor, stopping.Token);

        // Act
        await stopping.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Complete_AfterFail_StaysFailed()
    {
        // Arrange
        var gate = new PipelineGate();
        gate.Fail(PipelineStage.RestoreService);

        // Act
        gate.Complete(PipelineStage.RestoreService);

        // Assert
        Assert.False(gate.IsComplete(PipelineStage.RestoreService));
    }
}
