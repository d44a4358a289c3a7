using System.Text.Json;

namespace PgStandby.Core.Repository;

/// <summary>The newest WAL segment the repository's archive holds for the stanza's current database, from <c>pgbackrest info --output=json</c>.</summary>
public static class ArchiveNewest
{
    public static string? Parse(string json, string stanza)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var entry = document.RootElement.EnumerateArray()
                .FirstOrDefault(e => e.TryGetProperty("name", out var name) && name.GetString() == stanza);
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("archive", out var archives) || archives.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            // The current database is listed even before it archived anything (max null): an older database's max is another system's WAL.
            var current = archives.EnumerateArray().MaxBy(a => a.GetProperty("database").GetProperty("id").GetInt32());
            return current.ValueKind == JsonValueKind.Object && current.TryGetProperty("max", out var max) && max.ValueKind == JsonValueKind.String
                ? max.GetString()
                : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
