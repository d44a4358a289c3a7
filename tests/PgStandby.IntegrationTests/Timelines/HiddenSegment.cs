namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// A WAL segment taken out of the repository (moved aside, as root, keeping owner and mode) to make a
/// gap in the archive; <see cref="PutBack"/> heals the gap. Safe to call twice.
/// </summary>
internal sealed class HiddenSegment
{
    private HiddenSegment(string segment, string archived, string aside)
    {
        Segment = segment;
        Archived = archived;
        Aside = aside;
    }

    public string Segment { get; }

    /// <summary>Where the repository keeps it: archive/STANZA/15-1/&lt;first 16 chars&gt;/&lt;segment&gt;-&lt;sha1&gt;.gz.</summary>
    public string Archived { get; }

    public string Aside { get; }

    public static HiddenSegment Hide(string segment, string archived, string asideDirectory)
    {
        Directory.CreateDirectory(asideDirectory);
        var aside = Path.Combine(asideDirectory, Path.GetFileName(archived));
        File.Move(archived, aside);
        return new HiddenSegment(segment, archived, aside);
    }

    public void PutBack()
    {
        if (File.Exists(Aside) && !File.Exists(Archived))
        {
            File.Move(Aside, Archived);
        }
    }
}
