using System.Text.RegularExpressions;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

public sealed class TlsCommonNameTests
{
    [Fact]
    public void For_DefaultName_AddsEightLowercaseHexDigits()
    {
        // Act
        var name = TlsCommonName.For("slave");

        // Assert
        Assert.Matches(new Regex("^slave-[0-9a-f]{8}$"), name);
    }

    [Fact]
    public void For_TwoCalls_GiveTwoNames()
    {
        // Act
        var first = TlsCommonName.For("slave");
        var second = TlsCommonName.For("slave");

        // Assert
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("standby-1.eu_west", "standby-1.eu_west")]
    [InlineData("my standby/1", "my-standby-1")]
    [InlineData("CN=x,O=y", "CN-x-O-y")]
    [InlineData("café", "caf-")]
    [InlineData("a😀b", "a-b")]
    [InlineData("  padded  ", "padded")]
    [InlineData("", "standby")]
    [InlineData("   ", "standby")]
    public void Sanitize_Name_KeepsOnlyLettersDigitsDotUnderscoreDash(string name, string expected)
    {
        // Act
        var sanitized = TlsCommonName.Sanitize(name);

        // Assert
        Assert.Equal(expected, sanitized);
    }

    [Fact]
    public void For_LongName_IsCutToSixtyFourCharactersKeepingTheSuffix()
    {
        // Arrange
        var name = new string('a', 100);

        // Act
        var commonName = TlsCommonName.For(name, "0123abcd");

        // Assert
        Assert.Equal(TlsCommonName.MaxLength, commonName.Length);
        Assert.Equal(new string('a', 55) + "-0123abcd", commonName);
    }

    [Fact]
    public void For_RandomSuffixAndLongName_StaysWithinSixtyFourCharacters()
    {
        // Act
        var commonName = TlsCommonName.For(new string('b', 200));

        // Assert
        Assert.Equal(64, commonName.Length);
        Assert.Matches(new Regex("^b{55}-[0-9a-f]{8}$"), commonName);
    }
}
