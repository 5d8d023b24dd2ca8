using Switchyard.Bench.Workloads;

// Reads the peers' result files and Switchyard's (the same JSON shape) and prints, per headline metric, the best
// peer, Switchyard per durability and the ratio Switchyard ÷ best peer, as a Markdown table.
//   dotnet run --project bench/Switchyard.Bench.Report -- --peers DIR --switchyard DIR
string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

var peersDir = Arg("--peers");
var oursDir = Arg("--switchyard");
if (peersDir is null || oursDir is null || !Directory.Exists(peersDir) || !Directory.Exists(oursDir))
{
    Console.Error.WriteLine("usage: Switchyard.Bench.Report --peers DIR --switchyard DIR   (folders of result *.json files)");
    return 2;
}

var peers = ResultFiles.ReadAll(peersDir).Where(d => !ResultFiles.IsSwitchyard(d)).ToArray();
var ours = ResultFiles.ReadAll(oursDir).Where(ResultFiles.IsSwitchyard).ToArray();
if (peers.Length == 0 || ours.Length == 0)
{
    Console.Error.WriteLine($"found {peers.Length} peer result(s) in {peersDir} and {ours.Length} Switchyard result(s) in {oursDir}; need both");
    return 1;
}

Console.Write(PeerComparison.Markdown(peers, ours));
return 0;
