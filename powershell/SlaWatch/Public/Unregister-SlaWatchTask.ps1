function Unregister-SlaWatchTask {
    <#
        .SYNOPSIS
        Removes the SlaWatch scheduled task (the uninstall step); configuration, spool, credential and logs stay.

        .DESCRIPTION
        Deletes the task Register-SlaWatchTask created (\SlaWatch\SlaWatch by default). Nothing else is touched:
        reports still in the spool, the dead-letter folder, the credential and the logs remain for an operator to
        keep or delete (powershell/README.md, "Uninstall"). A task that is not there is not an error; it says so.
        Windows only (Task Scheduler).

        .PARAMETER TaskName
        Name of the task (default SlaWatch).

        .PARAMETER TaskPath
        Task Scheduler folder (default \SlaWatch\).

        .EXAMPLE
        Unregister-SlaWatchTask -Confirm:$false

        Removes the task without asking.
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [string]$TaskName = 'SlaWatch',

        [string]$TaskPath = '\SlaWatch\'
    )

    if (-not $script:IsWindowsPlatform) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.PlatformNotSupported' -Category NotImplemented `
                    -Message 'Unregister-SlaWatchTask needs Windows Task Scheduler; on Linux disable the systemd timer instead'))
    }
    $task = Get-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -ErrorAction SilentlyContinue
    if ($null -eq $task) {
        Write-Warning -Message "SlaWatch: no scheduled task $TaskPath$TaskName to remove"
        return
    }
    if ($PSCmdlet.ShouldProcess("$TaskPath$TaskName", 'Unregister the SlaWatch scheduled task')) {
        Unregister-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Confirm:$false -ErrorAction Stop
    }
}
