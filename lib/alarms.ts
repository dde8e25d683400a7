import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHARTS_REJECTED_METRIC, INDEXER_METRICS_NAMESPACE } from './indexer';

export interface IndexerAlarmsProps {
  readonly indexerFunction: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** The `service` dimension the indexer's Powertools metrics carry. */
  readonly metricsServiceName: string;
  readonly topic?: sns.ITopic;
}

/**
 * Alarms that mean "an index may be out of date or a chart was refused": a message reached the dead-letter
 * queue, the indexer failed, or a chart was rejected as invalid. Each sends to the topic when one is given.
 */
export class IndexerAlarms extends Construct {
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  public readonly errorsAlarm: cloudwatch.Alarm;
  public readonly rejectedChartsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IndexerAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);

    this.deadLetterAlarm = this.alarmOnAny('DeadLetterMessages', {
      alarmDescription:
        'Helm chart indexer: S3 notifications reached the dead-letter queue after every retry; the index of ' +
        'their repositories may be missing charts until the next reindex. Inspect and redrive the queue.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    });
    this.errorsAlarm = this.alarmOnAny('IndexerErrors', {
      alarmDescription: 'Helm chart indexer: invocations failed (see the function log group).',
      metric: props.indexerFunction.metricErrors({ period, statistic: 'Sum' }),
    });
    this.rejectedChartsAlarm = this.alarmOnAny('RejectedCharts', {
      alarmDescription:
        'Helm chart indexer: a published chart was rejected as invalid and is not in its index ' +
        '(the log line names the key, what was wrong and what was expected).',
      metric: new cloudwatch.Metric({
        namespace: INDEXER_METRICS_NAMESPACE,
        metricName: CHARTS_REJECTED_METRIC,
        dimensionsMap: { service: props.metricsServiceName },
        period,
        statistic: 'Sum',
      }),
    });

    if (props.topic) {
      const action = new actions.SnsAction(props.topic);
      for (const alarm of [this.deadLetterAlarm, this.errorsAlarm, this.rejectedChartsAlarm]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** Alarms when the metric is 1 or more in one period; no data (nothing happened) is not a breach. */
  private alarmOnAny(id: string, options: { alarmDescription: string; metric: cloudwatch.IMetric }): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      ...options,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
