function Get-SlaWatchErrorRecord {
    <#
        .SYNOPSIS
        Builds an ErrorRecord whose ErrorId says which failure class it is.

        .DESCRIPTION
        Callers tell failure classes apart by FullyQualifiedErrorId prefix, which maps onto the exit codes:
        SlaWatch.ConfigInvalid and SlaWatch.CredentialError -> 30, SlaWatch.DeliveryFailed -> 20.
        The target object (folder, file, URL) travels with the record, as in dbatools.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Message,

        [Parameter(Mandatory = $true)]
        [ValidateSet('SlaWatch.ConfigInvalid', 'SlaWatch.CredentialError', 'SlaWatch.DeliveryFailed', 'SlaWatch.PlatformNotSupported')]
        [string]$ErrorId,

        [System.Management.Automation.ErrorCategory]$Category = [System.Management.Automation.ErrorCategory]::InvalidData,

        [object]$TargetObject,

        [System.Exception]$InnerException
    )

    if ($null -ne $InnerException) {
        $exception = [System.InvalidOperationException]::new($Message, $InnerException)
    }
    else {
        $exception = [System.InvalidOperationException]::new($Message)
    }
    [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
}
