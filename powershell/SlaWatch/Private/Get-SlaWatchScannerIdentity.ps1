function Get-SlaWatchScannerIdentity {
    <#
        .SYNOPSIS
        Returns who is scanning: host name, module version and a new run id (the report's "scanner" block).

        .DESCRIPTION
        Kept in its own function so tests can fix the values (Mock -ModuleName SlaWatch) and compare a scan with
        the golden report byte for byte.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $version = '0.0.0'
    if ($null -ne $MyInvocation.MyCommand.Module) { $version = $MyInvocation.MyCommand.Module.Version.ToString() }
    @{
        HostName = [Environment]::MachineName
        Version  = $version
        RunId    = [guid]::NewGuid().ToString()
    }
}
