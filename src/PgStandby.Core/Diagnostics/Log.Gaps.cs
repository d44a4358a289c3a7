using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Diagnostics;

/// <summary>Stalled replay told apart, timeline branches compared, and which backup a re-sync restores.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.GapClassified, LogLevel.Warning, "Replay is stalled on a WAL gap, {Kind}: {Why}")]
    public static partial void GapClassified(ILogger logger, string kind, string why);

    [LoggerMessage(EventIds.BranchChecked, LogLevel.Debug, "Timelines compared when the stream connected ({Trigger}): {Why}")]
    public static partial void BranchChecked(ILogger logger, string trigger, string why);

    [LoggerMessage(EventIds.ResyncBackupChosen, LogLevel.Information, "Re-syncing from backup {Label}: {Why}")]
    public static partial void ResyncBackupChosen(ILogger logger, string label, string why);
}
