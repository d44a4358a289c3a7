namespace PgStandby.IntegrationTests.World;

/// <summary>Where a log file ended at some moment, to read later only what was written after it.</summary>
internal sealed class LogMark
{
    private readonly string _path;
    private readonly long _length;

    private LogMark(string path, long length)
    {
        _path = path;
        _length = length;
    }

    /// <summary>The end of <paramref name="path"/> now; its start when it does not exist yet.</summary>
    public static LogMark At(string path) => new(path, File.Exists(path) ? new FileInfo(path).Length : 0);

    /// <summary>What the file gained since the mark (the writer may still hold it open).</summary>
    public async Task<string> ReadSinceAsync()
    {
        using var log = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        log.Seek(_length, SeekOrigin.Begin);
        using var reader = new StreamReader(log);
        return await reader.ReadToEndAsync();
    }
}
