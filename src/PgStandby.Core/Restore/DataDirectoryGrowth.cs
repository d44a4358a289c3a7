namespace PgStandby.Core.Restore;

/// <summary>
/// Bytes in PGDATA, measured between progress ticks: pgBackRest prints a file's line only once the file is
/// restored, so while a large file (a 1 GiB relation segment on a slow link) is in flight the growing
/// data directory is the only sign that the restore still moves.
/// </summary>
public sealed class DataDirectoryGrowth(string dataDirectory)
{
    private static readonly EnumerationOptions AllFiles = new() { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };

    private long? _last;

    /// <summary>The bytes in PGDATA now.</summary>
    public long Bytes { get; private set; }

    /// <summary>Measures PGDATA; true when it holds more bytes than at the previous measure.</summary>
    public bool Grew()
    {
        Bytes = Measure();
        var grew = _last is { } last && Bytes > last;
        _last = Bytes;
        return grew;
    }

    private long Measure()
    {
        var directory = new DirectoryInfo(dataDirectory);
        if (!directory.Exists)
        {
            return 0;
        }

        try
        {
            // Sizes come with the directory entries: no file is opened.
            return directory.EnumerateFiles("*", AllFiles).Sum(f => f.Length);
        }
        catch (DirectoryNotFoundException)
        {
            return _last ?? 0; // PGDATA replaced while walking it: no growth seen this time
        }
    }
}
