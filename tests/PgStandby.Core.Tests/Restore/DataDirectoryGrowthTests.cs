using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Restore;

public sealed class DataDirectoryGrowthTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Grew_FirstMeasure_FalseButCountsBytes()
    {
        // Arrange
        Directory.CreateDirectory(_temp.Combine("data", "base", "5"));
        File.WriteAllBytes(_temp.Combine("data", "base", "5", "16384"), new byte[3000]);
        var growth = new DataDirectoryGrowth(_temp.Combine("data"));

        // Act
        var grew = growth.Grew();

        // Assert
        Assert.False(grew);
        Assert.Equal(3000, growth.Bytes);
    }

    [Fact]
    public void Grew_FileInFlightGetsLonger_True()
    {
        // Arrange
        Directory.CreateDirectory(_temp.Combine("data", "base"));
        var segment = _temp.Combine("data", "base", "16384");
        File.WriteAllBytes(segment, new byte[1000]);
        var growth = new DataDirectoryGrowth(_temp.Combine("data"));
        growth.Grew();

        // Act
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(new byte[500]);
        }

        var grew = growth.Grew();

        // Assert
        Assert.True(grew);
        Assert.Equal(1500, growth.Bytes);
    }

    [Fact]
    public void Grew_NothingWritten_False()
    {
        // Arrange
        Directory.CreateDirectory(_temp.Combine("data"));
        File.WriteAllBytes(_temp.Combine("data", "PG_VERSION"), [0x31, 0x35]);
        var growth = new DataDirectoryGrowth(_temp.Combine("data"));
        growth.Grew();

        // Act
        var grew = growth.Grew();

        // Assert
        Assert.False(grew);
    }

    [Fact]
    public void Grew_NoDataDirectoryYet_ZeroBytesNoThrow()
    {
        // Arrange
        var growth = new DataDirectoryGrowth(_temp.Combine("missing"));

        // Act
        var grew = growth.Grew();

        // Assert
        Assert.False(grew);
        Assert.Equal(0, growth.Bytes);
    }
}
