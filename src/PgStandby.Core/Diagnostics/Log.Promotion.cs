using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventIds.PromotionRecorded, LogLevel.Warning, "This node is a primary now: {Promotion}. It runs as a primary from now on, restarts included; it has no WAL archive or backups yet")]
    public static partial void PromotionRecorded(ILogger logger, string promotion);

    [LoggerMessage(EventIds.PromotedByHand, LogLevel.Warning, "postgres was promoted outside pgstandby promote (SQL pg_promote() or pg_ctl promote): recorded as the same event; nothing checked first that the old primary was down or that the archive was replayed")]
    public static partial void PromotedByHand(ILogger logger);

    [LoggerMessage(EventIds.OldPrimaryWritable, LogLevel.Error, "The old primary {Primary} answers as a primary again: clients writing there diverge from this node")]
    public static partial void OldPrimaryWritable(ILogger logger, string primary);

    [LoggerMessage(EventIds.OldPrimaryGone, LogLevel.Information, "The old primary {Primary} no longer answers as a primary")]
    public static partial void OldPrimaryGone(ILogger logger, string primary);

    [LoggerMessage(EventIds.PrimarySampleFailed, LogLevel.Warning, "Could not ask the local primary how it runs: {Message}")]
    public static partial void PrimarySampleFailed(ILogger logger, string message);

    [LoggerMessage(EventIds.StartingAsPrimary, LogLevel.Information, "{DataDirectory} was promoted ({Promotion}): starting it as a primary, without the old primary or its repository")]
    public static partial void StartingAsPrimary(ILogger logger, string dataDirectory, string promotion);
}
