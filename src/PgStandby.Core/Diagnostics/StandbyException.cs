
namespace PgStandby.Core.Diagnostics;

/// <summary>A failure an operator must act on: it carries the state to show, the exit code and the fix.</summary>
public sealed class StandbyException : Exception
{
    public StandbyException(StandbyState state, int exitCode, string reason, string nextStep, Exception? inner = null)
        : base(reason, inner)
    {
        State = state;
        ExitCode = exitCode;
        NextStep = nextStep;
    }

    public StandbyState State { get; }

    public int ExitCode { get; }

    public string NextStep { get; }

    public static StandbyException Refused(string reason, string nextStep) =>
        new(StandbyState.Refused, ExitCodes.NeedsOperator, reason, nextStep);

    public static StandbyException Failing(string reason, string nextStep, Exception? inner = null) =>
        new(StandbyState.Failing, ExitCodes.InternalFailure, reason, nextStep, inner);
}
