namespace PgStandby.Core.Processes;

/// <summary>Runs child processes. The one seam where tests replace real processes.</summary>
public interface ICommandRunner
{
    /// <summary>Runs to completion and buffers output; a non-zero exit code is returned, not thrown.</summary>
    Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a long-lived child, streaming each output line to <paramref name="onLine"/>.
    /// <paramref name="gracefulToken"/> sends SIGINT; <paramref name="forcefulToken"/> kills.
    /// </summary>
    Task<int> RunStreamingAsync(
        CommandSpec spec,
        Action<string> onLine,
        CancellationToken forcefulToken,
        CancellationToken gracefulToken);
}
