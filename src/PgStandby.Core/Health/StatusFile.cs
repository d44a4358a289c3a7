using System.Text.Json;
using PgStandby.Core.Processes;

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
            JsonSerializer.Serialize(snapshot, WorkerFilesJson.Default.StatusSnapshot),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public static StatusSnapshot? Read(string runDirectory)
    {
        var path = PathIn(runDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), WorkerFilesJson.Default.StatusSnapshot);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string ReadRaw(string runDirectory) => File.ReadAllText(PathIn(runDirectory));
}
