using Microsoft.Extensions.Logging;

namespace PgStandby.Core.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventIds.RestoreProgress, LogLevel.Information, "Restore {Percent:0.0} % done: {Done} of {Total} at {Throughput}/s, {Files} files in {Elapsed}, about {Eta} left")]
    public static partial void RestoreProgress(ILogger logger, double percent, string done, string total, string throughput, int files, string elapsed, string eta);

    [LoggerMessage(EventIds.RestoreFirstFiles, LogLevel.Information, "Restore running: {Written} written to PGDATA so far, the first files still in flight")]
    public static partial void RestoreFirstFiles(ILogger logger, string written);

    [LoggerMessage(EventIds.PgBackRestDetail, LogLevel.Debug, "pgbackrest: {Line}")]
    public static partial void PgBackRestDetail(ILogger logger, string line);
}
