using Microsoft.Data.Sqlite;

namespace Switchyard.Storage.Sqlite;

/// <summary>A command prepared once on the writer's connection and reused with new parameter values.</summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly Dictionary<string, SqliteParameter> _parameters = new(StringComparer.Ordinal);

    public PreparedCommand(SqliteConnection connection, string sql, IEnumerable<string> parameterNames)
    {
        Command = connection.CreateCommand();
        Command.CommandText = sql;
        foreach (var name in parameterNames.Distinct(StringComparer.Ordinal))
        {
            var parameter = new SqliteParameter(name, DBNull.Value);
            Command.Parameters.Add(parameter);
            _parameters[name] = parameter;
        }
    }

    public SqliteCommand Command { get; }

    public PreparedCommand Set(string name, object? value)
    {
        _parameters[name].Value = value ?? DBNull.Value;
        return this;
    }

    public void TrySet(string name, object? value)
    {
        if (_parameters.TryGetValue(name, out var parameter))
        {
            parameter.Value = value ?? DBNull.Value;
        }
    }

    public int ExecuteNonQuery() => Command.ExecuteNonQuery();

    public object? ExecuteScalar() => Command.ExecuteScalar();

    public SqliteDataReader ExecuteReader() => Command.ExecuteReader();

    public void Dispose() => Command.Dispose();
}
