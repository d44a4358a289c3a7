using System.Text.Json;
using PgStandby.Core.Processes;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Health;

/// <summary>status.json in the run folder, replaced atomically (a new file renamed over it, never written through a link) on every change.</summary>
public static class StatusFile
{
    public const string FileName = "status.json";

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    public static void Write(string runDirectory, StatusSnapshot snapshot)
    {
        SafeFile.Write(
            PathIn(runDirectory),
            JsonSerializer.Serialize(snapshot, StatusFileJson.Default.StatusSnapshot),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>The worker's status; null when there is none, it is not JSON, or it is a link (root's health check follows none).</summary>
    public static StatusSnapshot? Read(string runDirectory)
    {
        try
        {
            return SafeFile.ReadText(PathIn(runDirectory)) is { } json ? JsonSerializer.Deserialize(json, StatusFileJson.Default.StatusSnapshot) : null;
        }
        catch (Exception exception) when (exception is JsonException or StandbyException)
        {
            return null;
        }
    }

    public static string ReadRaw(string runDirectory) => SafeFile.ReadText(PathIn(runDirectory)) ?? string.Empty;
}
