namespace PgStandby.Core.Configuration;

/// <summary>Options bound from environment variables, with every problem found while binding them.</summary>
public interface IBoundOptions
{
    /// <summary>One message per bad variable: its name and what it expects. Never a secret's value.</summary>
    IList<string> Problems { get; }
}
