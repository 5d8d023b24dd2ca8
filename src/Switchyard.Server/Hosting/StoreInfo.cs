namespace Switchyard.Server.Hosting;

/// <summary>Which store the node runs on (<c>sqlite</c> or <c>postgres</c>) and where its data is, for the startup log and <c>/readyz</c>; never a password.</summary>
public sealed record StoreInfo(string Kind, string Location);
