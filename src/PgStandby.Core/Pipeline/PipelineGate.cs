namespace PgStandby.Core.Pipeline;

/// <summary>
/// Explicit readiness between stages: in .NET 10 no ExecuteAsync blocks start-up, so registration order
/// alone does not order the pipeline. Each stage awaits the one before it.
/// </summary>
public sealed class PipelineGate
{
    private readonly Dictionary<PipelineStage, TaskCompletionSource> _completed = Enum.GetValues<PipelineStage>()
        .ToDictionary(s => s, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Complete(PipelineStage stage) => _completed[stage].TrySetResult();

    /// <summary>A stage that failed: the ones after it never start.</summary>
    public void Fail(PipelineStage stage) => _completed[stage].TrySetCanceled();

    public bool IsComplete(PipelineStage stage) => _completed[stage].Task.IsCompletedSuccessfully;

    /// <summary>Waits for the stage before <paramref name="stage"/>; throws OperationCanceledException if it failed.</summary>
    public Task WaitForPreviousAsync(PipelineStage stage, CancellationToken cancellationToken) =>
        stage == PipelineStage.KeyProvisioner
            ? Task.CompletedTask
            : _completed[stage - 1].Task.WaitAsync(cancellationToken);
}
