package io.firstline.agent.collect;

import oshi.hardware.Sensors;

/**
 * CPU temperature, fan speeds and CPU voltage where the platform reports
 * them. OSHI gives 0 (or no fans) for what it cannot read; a platform that
 * gives none of the three is "unsupported" (virtual machines, containers).
 */
final class SensorsCollector implements Collector {
    private final Sensors sensors;

    SensorsCollector(HostProbe probe) {
        this.sensors = probe.hardware().getSensors();
    }

    @Override
    public void collect(MetricWriter out) {
        double celsius = sensors.getCpuTemperature();
        int[] fans = sensors.getFanSpeeds();
        double volts = sensors.getCpuVoltage();
        boolean anyFan = false;
        for (int f : fans) {
            anyFan |= f > 0;
        }
        if (!(celsius > 0) && !anyFan && !(volts > 0)) {
            throw new UnsupportedOperationException("the platform reports no temperature, fan or voltage");
        }
        if (celsius > 0) {
            out.value("sensors.cpu_temperature_celsius", celsius);
        }
        for (int i = 0; i < fans.length; i++) {
            out.value("sensors.fan_rpm", Integer.toString(i), fans[i]);
        }
        if (volts > 0) {
            out.value("sensors.cpu_volts", volts);
        }
    }
}
