using System.Text.Json;

namespace PgStandby.Core.Health;

/// <summary>status.json in the run folder, replaced atomically (write then rename) on every change.</summary>
public static class StatusFile
{
    public const string FileName = "status.json";

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    public static void Write(string runDirectory, StatusSnapshot snapshot)
    {
        var path = PathIn(runDirectory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(snapshot, WorkerFilesJson.Default.StatusSnapshot));
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, path, overwrite: true);
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
