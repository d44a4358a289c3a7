using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;

namespace PgStandby.Core.Pipeline;

/// <summary>
/// Runs one pipeline stage: waits for the stage before it, records a span, marks completion, and turns
/// a failure into a named state, an exit code and a stopped host (a faulted BackgroundService alone exits 0).
/// </summary>
public sealed class StageRunner(
    PipelineGate gate,
    HealthState health,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StageRunner> logger)
{
    /// <param name="stage">The stage to run.</param>
    /// <param name="work">The stage's work; it calls the given action once later stages may start (or returns).</param>
    /// <param name="stoppingToken">The host's stopping token.</param>
    public async Task RunAsync(PipelineStage stage, Func<Action, CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitForPreviousAsync(stage, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            gate.Fail(stage);
            return;
        }

        using var activity = Telemetry.Source.StartActivity(stage.ToString());
        var started = time.GetTimestamp();
        void MarkComplete()
        {
            if (!gate.IsComplete(stage))
            {
                gate.Complete(stage);
                Log.StageCompleted(logger, stage.ToString(), time.GetElapsedTime(started));
            }
        }

        try
        {
            await work(MarkComplete, stoppingToken).ConfigureAwait(false);
            MarkComplete();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            gate.Fail(stage);
        }
        catch (StandbyException exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            Stop(stage, exception.State, exception.ExitCode, exception.Message, exception.NextStep);
        }
#pragma warning disable CA1031 // the last line of defence of a stage: any other failure stops the worker with exit 70
        catch (Exception exception)
#pragma warning restore CA1031
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            Log.StageCrashed(logger, stage.ToString(), exception);
            Stop(stage, StandbyState.Failing, ExitCodes.InternalFailure, $"internal failure in {stage}: {exception.Message}", "read the log above; report it if it persists after a restart");
        }
    }

    private void Stop(PipelineStage stage, StandbyState state, int exitCode, string reason, string nextStep)
    {
        health.Set(state, reason, nextStep);
        Log.StageFailed(logger, stage.ToString(), exitCode, reason, nextStep);
        Environment.ExitCode = exitCode;
        gate.Fail(stage);
        lifetime.StopApplication();
    }
}
