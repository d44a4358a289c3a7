using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace PgStandby.Worker.Logging;

/// <summary>
/// PGSTANDBY_LOG_FORMAT=json: one JSON object per line, for log collectors. Lines forwarded from postgres and
/// pgBackRest carry their own source, so a collector can route them without parsing the message.
/// </summary>
internal sealed class JsonLineConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "pgstandby-json";

    // Event ids of forwarded child-process lines (PgStandby.Core.Diagnostics.EventIds).
    private const int PgBackRestLine = 1305;
    private const int PostgresLine = 1402;
    private const int PgBackRestDetail = 1702;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString().ToLowerInvariant());
            json.WriteString("source", Source(logEntry.EventId.Id, logEntry.Category));
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("event_id", logEntry.EventId.Id);
            json.WriteString("message", Forwarded(logEntry.EventId.Id) ? message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..] : message);
            if (logEntry.Exception is not null)
            {
                json.WriteString("exception", logEntry.Exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static bool Forwarded(int eventId) => eventId is PgBackRestLine or PostgresLine or PgBackRestDetail;

    private static string Source(int eventId, string category) => eventId switch
    {
        PostgresLine => "postgres",
        PgBackRestLine or PgBackRestDetail => "pgbackrest",
        _ => category[(category.LastIndexOf('.') + 1)..],
    };
}
